module github.com/perf-gate/perf-gate/examples/movies-api

go 1.24
