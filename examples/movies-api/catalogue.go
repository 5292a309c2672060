package main

import (
	"fmt"
	"time"
)

type movie struct {
	ID          int       `json:"id"`
	Title       string    `json:"title"`
	Year        int       `json:"year"`
	Genre       string    `json:"genre"`
	RuntimeMin  int       `json:"runtime_minutes"`
	ReleaseDate string    `json:"release_date"`
	release     time.Time `json:"-"`
}

type catalogue struct {
	movies []movie
}

var (
	adjectives = []string{"Silent", "Crimson", "Last", "Hidden", "Electric", "Broken", "Golden", "Midnight", "Lost", "Distant", "Frozen", "Burning", "Quiet", "Savage", "Paper", "Iron"}
	nouns      = []string{"Harbor", "Matrix", "Garden", "Signal", "River", "Empire", "Orchard", "Station", "Horizon", "Letter", "Mirror", "Voyage", "Circuit", "Island", "Kingdom", "Machine"}
	genres     = []string{"drama", "comedy", "thriller", "science fiction", "documentary", "animation", "horror", "romance"}
)

// newCatalogue builds a deterministic catalogue, so every run serves the same data.
func newCatalogue(size int) *catalogue {
	movies := make([]movie, 0, size)
	first := time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < size; i++ {
		release := first.AddDate(0, 0, (i*7)%2557)
		title := fmt.Sprintf("The %s %s", adjectives[i%len(adjectives)], nouns[(i/len(adjectives))%len(nouns)])
		if i >= len(adjectives)*len(nouns) {
			title = fmt.Sprintf("%s %d", title, i/(len(adjectives)*len(nouns))+1)
		}
		movies = append(movies, movie{
			ID:          i + 1,
			Title:       title,
			Year:        release.Year(),
			Genre:       genres[i%len(genres)],
			RuntimeMin:  80 + (i*13)%90,
			ReleaseDate: release.Format(time.DateOnly),
			release:     release,
		})
	}
	return &catalogue{movies: movies}
}
