// Command movies-api is perf-gate's demo target: a small movie catalogue over HTTP with a health
// check, a paginated list, lookups by id, a title search and a release calendar.
//
// Environment switches reproduce faults for perf-gate's own tests:
//
//	PORT               listen port (default 8080)
//	DEMO_SERVICE_TIME  time a route spends waiting, as on a database, such as "/api/movies/search=4ms"
//	DEMO_SERVICE_JITTER  spread of that wait: each request waits the service time times a log-normal
//	                   factor whose log has this standard deviation, such as 0.3 (default 0, fixed)
//	DEMO_SLOWDOWN      added latency per route: a duration such as "/api/movies/search=50ms", or a
//	                   share of the route's service time such as "/api/movies/search=+10%", which
//	                   scales every wait of the route by that share
//	DEMO_UNHEALTHY     when set, /health answers 503 so the container never becomes healthy
//
// faults.go adds switches for connection and memory leaks and errors in the log.
//
// "movies-api healthcheck" requests /health and exits 0 on a 2xx answer; the container's
// healthcheck uses it because the image has no shell or curl.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		os.Exit(healthcheck(port))
	}

	serviceTime, err := parseDelays(os.Getenv("DEMO_SERVICE_TIME"), false)
	if err != nil {
		log.Fatalf("invalid DEMO_SERVICE_TIME: %v", err)
	}
	slowdown, err := parseDelays(os.Getenv("DEMO_SLOWDOWN"), true)
	if err != nil {
		log.Fatalf("invalid DEMO_SLOWDOWN: %v", err)
	}
	delays, err := combineDelays(serviceTime, slowdown)
	if err != nil {
		log.Fatalf("invalid DEMO_SLOWDOWN: %v", err)
	}
	jitter := 0.0
	if text := os.Getenv("DEMO_SERVICE_JITTER"); text != "" {
		jitter, err = strconv.ParseFloat(text, 64)
		if err != nil || jitter < 0 || jitter > 2 {
			log.Fatalf("invalid DEMO_SERVICE_JITTER %q: expected a number from 0 to 2, such as 0.3", text)
		}
	}
	faults, err := readFaults()
	if err != nil {
		log.Fatalf("invalid fault switch: %v", err)
	}
	catalogue := newCatalogue(5000)
	api := &server{catalogue: catalogue, unhealthy: os.Getenv("DEMO_UNHEALTHY") != ""}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", api.health)
	mux.HandleFunc("GET /api/movies", api.listMovies)
	mux.HandleFunc("GET /api/movies/search", api.searchMovies)
	mux.HandleFunc("GET /api/movies/{id}", api.getMovie)
	mux.HandleFunc("GET /api/calendar", api.calendar)

	for route, wait := range delays {
		log.Printf("delay: %s waits %s before answering (jitter %g)", route, wait, jitter)
	}
	if api.unhealthy {
		log.Printf("DEMO_UNHEALTHY is set: /health answers 503")
	}
	faults.describe()
	handler := withDelays(mux, delays, jitter)
	if faults.active() {
		handler = faults.wrap(mux, handler)
	}
	httpServer := &http.Server{
		Addr:              ":" + port,
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("movies-api listening on :%s with %d movies", port, len(catalogue.movies))
	log.Fatal(httpServer.ListenAndServe())
}

func healthcheck(port string) int {
	client := http.Client{Timeout: 2 * time.Second}
	response, err := client.Get("http://127.0.0.1:" + port + "/health")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer response.Body.Close()
	if response.StatusCode < 200 || response.StatusCode > 299 {
		fmt.Fprintln(os.Stderr, "health check answered", response.Status)
		return 1
	}
	return 0
}

// delay is a fixed wait, a share of the route's service time, or both.
type delay struct {
	fixed time.Duration
	share float64
}

// parseDelays reads "route=duration" pairs separated by commas; with shares allowed, the value
// may also be a percentage such as "+10%".
func parseDelays(text string, sharesAllowed bool) (map[string]delay, error) {
	result := map[string]delay{}
	for _, pair := range strings.Split(text, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		route, value, found := strings.Cut(pair, "=")
		if !found || !strings.HasPrefix(route, "/") {
			return nil, fmt.Errorf("%q: expected /route=duration, such as /api/movies/search=50ms", pair)
		}
		if sharesAllowed && strings.HasSuffix(value, "%") {
			percent, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(value, "+"), "%"), 64)
			if err != nil || percent < 0 {
				return nil, fmt.Errorf("%q: expected a percentage such as +10%%", pair)
			}
			result[route] = delay{share: percent / 100}
			continue
		}
		duration, err := time.ParseDuration(value)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", pair, err)
		}
		result[route] = delay{fixed: duration}
	}
	return result, nil
}

// wait is what one route waits per request: a service time, scaled by a share slowdown and by
// the jitter, plus a fixed slowdown.
type wait struct {
	service time.Duration
	scale   float64
	fixed   time.Duration
}

func (w wait) String() string {
	return fmt.Sprintf("%s x %g + %s", w.service, w.scale, w.fixed)
}

// combineDelays joins each route's service time and slowdown; a share of a route without a
// service time is an error, because there is nothing to take a share of.
func combineDelays(serviceTime, slowdown map[string]delay) (map[string]wait, error) {
	total := map[string]wait{}
	for route, base := range serviceTime {
		total[route] = wait{service: base.fixed, scale: 1}
	}
	for route, extra := range slowdown {
		current, hasBase := total[route]
		if extra.share > 0 && !hasBase {
			return nil, fmt.Errorf("%s=+%g%% needs a DEMO_SERVICE_TIME for %s", route, extra.share*100, route)
		}
		if !hasBase {
			current.scale = 1
		}
		current.scale += extra.share
		current.fixed += extra.fixed
		total[route] = current
	}
	return total, nil
}

// withDelays delays the routes named in delays. The route is the matched pattern's path, so
// "/api/movies/{id}" slows every lookup by id.
func withDelays(mux *http.ServeMux, delays map[string]wait, jitter float64) http.Handler {
	if len(delays) == 0 {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if _, path, found := strings.Cut(pattern, " "); found {
			if route, ok := delays[path]; ok {
				factor := route.scale
				if jitter > 0 {
					factor *= math.Exp(jitter * rand.NormFloat64())
				}
				if total := time.Duration(float64(route.service)*factor) + route.fixed; total > 0 {
					time.Sleep(total)
				}
			}
		}
		mux.ServeHTTP(w, r)
	})
}

type server struct {
	catalogue *catalogue
	unhealthy bool
}

func (s *server) health(w http.ResponseWriter, _ *http.Request) {
	if s.unhealthy {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *server) listMovies(w http.ResponseWriter, r *http.Request) {
	page := intParam(r, "page", 1)
	perPage := intParam(r, "per_page", 20)
	if page < 1 || perPage < 1 || perPage > 100 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "page must be >= 1 and per_page between 1 and 100"})
		return
	}
	start := (page - 1) * perPage
	end := min(start+perPage, len(s.catalogue.movies))
	items := []movie{}
	if start < len(s.catalogue.movies) {
		items = s.catalogue.movies[start:end]
	}
	writeJSON(w, http.StatusOK, map[string]any{"page": page, "per_page": perPage, "total": len(s.catalogue.movies), "movies": items})
}

func (s *server) getMovie(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 1 || id > len(s.catalogue.movies) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "movie not found"})
		return
	}
	writeJSON(w, http.StatusOK, s.catalogue.movies[id-1])
}

func (s *server) searchMovies(w http.ResponseWriter, r *http.Request) {
	query := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("q")))
	if query == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "q is required"})
		return
	}
	limit := intParam(r, "limit", 20)
	matches := []movie{}
	for _, candidate := range s.catalogue.movies {
		if strings.Contains(strings.ToLower(candidate.Title), query) {
			matches = append(matches, candidate)
			if len(matches) == limit {
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": query, "movies": matches})
}

func (s *server) calendar(w http.ResponseWriter, r *http.Request) {
	from, errFrom := time.Parse(time.DateOnly, r.URL.Query().Get("from"))
	to, errTo := time.Parse(time.DateOnly, r.URL.Query().Get("to"))
	if errFrom != nil || errTo != nil || to.Before(from) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "from and to must be dates (YYYY-MM-DD), from <= to"})
		return
	}
	releases := []movie{}
	for _, candidate := range s.catalogue.movies {
		if !candidate.release.Before(from) && !candidate.release.After(to) {
			releases = append(releases, candidate)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly), "movies": releases})
}

func intParam(r *http.Request, name string, fallback int) int {
	value, err := strconv.Atoi(r.URL.Query().Get(name))
	if err != nil {
		return fallback
	}
	return value
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(body); err != nil {
		log.Printf("writing response: %v", err)
	}
}
