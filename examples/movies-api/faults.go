package main

// Switches that make the demo misbehave the way real services do, so that perf-gate's monitoring
// can be shown to name each fault, and to stay silent without them:
//
//	DEMO_LEAK_CONNECTIONS  a route whose connections are never closed, such as "/api/movies/{id}":
//	                       each response tells the client to close, and the server keeps its end
//	                       open, so sockets pile up in CLOSE_WAIT
//	DEMO_LEAK_MEMORY       memory kept for good per API request, such as "256KiB"
//	DEMO_LOG_ERRORS        log an error line for every Nth API request, such as "10"
//	DEMO_CRASH_AFTER       exit with status 2 at the Nth API request, such as "200", so the
//	                       container stops (or restarts, under a restart policy)

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

type faults struct {
	leakRoute  string
	leakBytes  int
	errorEvery int64
	crashAfter int64

	requests atomic.Int64
	mu       sync.Mutex
	leaked   [][]byte
	conns    []net.Conn
}

// readFaults reads the switches from the environment.
func readFaults() (*faults, error) {
	f := &faults{leakRoute: strings.TrimSpace(os.Getenv("DEMO_LEAK_CONNECTIONS"))}
	if f.leakRoute != "" && !strings.HasPrefix(f.leakRoute, "/") {
		return nil, fmt.Errorf("DEMO_LEAK_CONNECTIONS %q: expected a route such as /api/movies/{id}", f.leakRoute)
	}
	if text := strings.TrimSpace(os.Getenv("DEMO_LEAK_MEMORY")); text != "" {
		size, err := parseSize(text)
		if err != nil {
			return nil, fmt.Errorf("DEMO_LEAK_MEMORY: %w", err)
		}
		f.leakBytes = size
	}
	if text := strings.TrimSpace(os.Getenv("DEMO_LOG_ERRORS")); text != "" {
		every, err := strconv.ParseInt(text, 10, 64)
		if err != nil || every < 1 {
			return nil, fmt.Errorf("DEMO_LOG_ERRORS %q: expected a whole number such as 10", text)
		}
		f.errorEvery = every
	}
	if text := strings.TrimSpace(os.Getenv("DEMO_CRASH_AFTER")); text != "" {
		after, err := strconv.ParseInt(text, 10, 64)
		if err != nil || after < 1 {
			return nil, fmt.Errorf("DEMO_CRASH_AFTER %q: expected a whole number such as 200", text)
		}
		f.crashAfter = after
	}
	return f, nil
}

func (f *faults) active() bool {
	return f.leakRoute != "" || f.leakBytes > 0 || f.errorEvery > 0 || f.crashAfter > 0
}

func (f *faults) describe() {
	if f.leakRoute != "" {
		log.Printf("DEMO_LEAK_CONNECTIONS is set: connections to %s are never closed", f.leakRoute)
	}
	if f.leakBytes > 0 {
		log.Printf("DEMO_LEAK_MEMORY is set: every API request keeps %d bytes", f.leakBytes)
	}
	if f.errorEvery > 0 {
		log.Printf("DEMO_LOG_ERRORS is set: every %dth API request logs an error", f.errorEvery)
	}
	if f.crashAfter > 0 {
		log.Printf("DEMO_CRASH_AFTER is set: the process exits at API request %d", f.crashAfter)
	}
}

// wrap applies the faults to API requests; the route is the matched pattern's path.
func (f *faults) wrap(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		_, route, _ := strings.Cut(pattern, " ")
		if !strings.HasPrefix(route, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		count := f.requests.Add(1)
		if f.leakBytes > 0 {
			block := make([]byte, f.leakBytes)
			// Touch every page, so the memory is really in use and not only reserved.
			for index := 0; index < len(block); index += 4096 {
				block[index] = 1
			}
			f.mu.Lock()
			f.leaked = append(f.leaked, block)
			f.mu.Unlock()
		}
		if f.crashAfter > 0 && count == f.crashAfter {
			log.Printf("exiting at API request %d, as DEMO_CRASH_AFTER asks", count)
			os.Exit(2)
		}
		if f.errorEvery > 0 && count%f.errorEvery == 0 {
			log.Printf("ERROR %s %s: simulated failure of request %d", r.Method, r.URL.Path, count)
		}
		if route == f.leakRoute {
			f.answerAndLeak(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// answerAndLeak writes the response itself on the raw connection, tells the client to close, and
// keeps the connection for good without reading or closing it.
func (f *faults) answerAndLeak(w http.ResponseWriter, r *http.Request, next http.Handler) {
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		next.ServeHTTP(w, r)
		return
	}
	recorder := httptest.NewRecorder()
	next.ServeHTTP(recorder, r)
	conn, buffered, err := hijacker.Hijack()
	if err != nil {
		log.Printf("hijacking the connection: %v", err)
		return
	}
	writeResponse(buffered, recorder)
	f.mu.Lock()
	f.conns = append(f.conns, conn)
	f.mu.Unlock()
}

func writeResponse(out *bufio.ReadWriter, recorder *httptest.ResponseRecorder) {
	body := recorder.Body.Bytes()
	fmt.Fprintf(out, "HTTP/1.1 %d %s\r\n", recorder.Code, http.StatusText(recorder.Code))
	fmt.Fprintf(out, "Content-Type: %s\r\n", recorder.Header().Get("Content-Type"))
	fmt.Fprintf(out, "Content-Length: %d\r\nConnection: close\r\n\r\n", len(body))
	out.Write(body)
	if err := out.Flush(); err != nil {
		log.Printf("writing the response: %v", err)
	}
}

// parseSize reads a size such as 512, 256KiB or 1MiB.
func parseSize(text string) (int, error) {
	units := []struct {
		suffix string
		factor int
	}{{"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}, {"", 1}}
	for _, unit := range units {
		if number, found := strings.CutSuffix(text, unit.suffix); found {
			value, err := strconv.Atoi(strings.TrimSpace(number))
			if err != nil || value < 0 {
				break
			}
			return value * unit.factor, nil
		}
	}
	return 0, fmt.Errorf("%q: expected a size such as 256KiB or 1MiB", text)
}
