package process

import (
	"errors"
	"testing"

	"github.com/newsdesk/newsdesk/extract"
	"github.com/newsdesk/newsdesk/repair"
)

const page = `<!doctype html><html lang="en"><head><title>Ferry fares rise - Harbour Post</title></head>
<body><nav><a href="/">Home</a></nav><article><h1>Ferry fares rise</h1>
<p>Fares on the island ferry will rise by a tenth from April, harbour master Ilse Varden said in Marrow on Monday.</p>
<p>The authority blamed the cost of fuel and a new safety inspection regime for the increase.</p>
</article></body></html>`

func TestArticleChoosesByContent(t *testing.T) {
	cases := []struct {
		name, raw, format, wantFormat string
	}{
		{"html named .txt", page, "auto", "html"},
		{"text", "Ferry fares rise\n\nFares on the island ferry will rise by a tenth from April, Mayor Tobias Wren said in Marrow.\n", "auto", "text"},
		{"forced text", page, "text", "text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Article(Input{Name: "in.txt", Raw: []byte(c.raw), Format: c.format, Enrich: true})
			if err != nil {
				t.Fatal(err)
			}
			if a.Input.Format != c.wantFormat {
				t.Errorf("format = %q, want %q", a.Input.Format, c.wantFormat)
			}
			if c.wantFormat == "html" && (a.Title != "Ferry fares rise" || len(a.Paragraphs) != 2 || a.Language != "en") {
				t.Errorf("html record = %+v", a)
			}
			if len(a.Entities) == 0 && c.format == "auto" {
				t.Errorf("Enrich did not run")
			}
		})
	}
}

func TestArticleErrors(t *testing.T) {
	if _, err := Article(Input{Name: "x", Raw: []byte("a"), Format: "pdf"}); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := Article(Input{Name: "empty.txt", Raw: nil}); !errors.Is(err, repair.ErrEmpty) {
		t.Errorf("empty input: %v", err)
	}
	if _, err := Article(Input{Name: "nav.html", Raw: []byte("<html><body><nav><a href=/>Home</a> <a href=/a>About</a></nav></body></html>")}); !errors.Is(err, extract.ErrNoArticle) {
		t.Errorf("page without article: %v", err)
	}
}
