package enrich_test

import (
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/enrich"
)

func Example() {
	a := &article.Article{
		Published: time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC),
		Paragraphs: []string{
			"Prime Minister Halvard Stene arrived in Bergen late last night for talks with the Nordic Council.",
			`"We came to listen," Stene said. The talks end on Friday.`,
		},
	}
	enrich.Enrich(a, enrich.Options{})
	for _, e := range a.Entities {
		fmt.Printf("%s (%s) x%d\n", e.Text, e.Type, e.Count)
	}
	for _, q := range a.Quotes {
		fmt.Printf("%s: %q\n", q.Speaker, q.Text)
	}
	for _, t := range a.Times {
		fmt.Printf("%s = %s\n", t.Text, t.Resolved.Format("2006-01-02"))
	}
	// Output:
	// Halvard Stene (person) x2
	// Bergen (place) x1
	// Nordic Council (org) x1
	// Halvard Stene: "We came to listen"
	// late last night = 2024-06-19
	// Friday = 2024-06-21
}
