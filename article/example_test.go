package article_test

import (
	"fmt"

	"github.com/newsdesk/newsdesk/article"
)

func Example() {
	a := &article.Article{
		URL:        "http://www.example.org/news/harbour-vote/?utm_source=feed",
		Title:      "Harbour town votes to restore lighthouse",
		Paragraphs: []string{"The vote passed narrowly.", "Work starts in spring."},
	}
	a.Finalize()
	fmt.Println(a.ID)
	fmt.Println(a.WordCount)
	fmt.Printf("%q\n", a.Text)
	// Output:
	// ua5c2130d483e6a7d817d
	// 8
	// "The vote passed narrowly.\n\nWork starts in spring."
}
