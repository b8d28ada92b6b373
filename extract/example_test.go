package extract_test

import (
	"fmt"
	"time"

	"github.com/newsdesk/newsdesk/extract"
)

func Example() {
	page := []byte(`<!DOCTYPE html>
<html lang="en"><head>
<title>Ferry service resumes after storm | Island Gazette</title>
<meta property="og:site_name" content="Island Gazette">
<meta property="article:published_time" content="2024-02-10T09:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Ferry service resumes after storm</h1>
<p class="byline">By Rhona MacLeod</p>
<p>The morning ferry sailed on time on Saturday for the first time in a week, after the storm that closed the harbour moved out to sea overnight.</p>
<div class="share-tools"><a href="#">Share</a> <a href="#">Email</a></div>
<p>The operator added an extra afternoon crossing to clear the backlog of freight lorries waiting on the mainland.</p>
</article>
</body></html>`)
	a, err := extract.HTML(page, extract.Options{
		Name:      "ferry.html",
		URL:       "https://island-gazette.example/news/ferry-resumes",
		FetchTime: time.Date(2024, 2, 11, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Title)
	fmt.Println(a.Source.Name, a.Source.Domain)
	fmt.Println(a.Authors, a.Published.Format(time.DateOnly), a.Language)
	for _, p := range a.Paragraphs {
		fmt.Println("-", p)
	}
	// Output:
	// Ferry service resumes after storm
	// Island Gazette island-gazette.example
	// [Rhona MacLeod] 2024-02-10 en
	// - The morning ferry sailed on time on Saturday for the first time in a week, after the storm that closed the harbour moved out to sea overnight.
	// - The operator added an extra afternoon crossing to clear the backlog of freight lorries waiting on the mainland.
}
