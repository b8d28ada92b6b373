package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
	"github.com/newsdesk/newsdesk/internal/store/storetest"
)

// TestBuiltVectors: the tsvectors built in Go equal the server's
// to_tsvector over the same text, for generated English and for words of
// many scripts, numbers and edge cases; the ones that cannot be built
// (too long a word, a word repeated past the cap on positions) are left
// to the server, and plain English is built.
func TestBuiltVectors(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	texts := map[string]string{
		"en": "The 3d printers of 2024 ran 1e5 jobs; covid19 g7 x86_64 0x1f 12abc abc12 1.5 v2.0 e-mail a@b.c http://x.y/z running runs ran.",
		"de": "Die Straße über Größe: Fußball, Bücher und Mädchen schließen 1990er Jahre.",
		"fr": "L'été où les élèves français se sont rencontrés à Noël, naïve cœur œuvre.",
		"ru": "Москва: Президент заявил, что переговоры продолжатся в ёлках 2025 года.",
		"el": "Η Αθήνα και η Θεσσαλονίκη είναι πόλεις της Ελλάδας· ΣΟΦΙΑ σοφία.",
		"tr": "İstanbul'da ISPARTA ılık ışık Iğdır çalıştaylar düzenlendi.",
		"hi": "भारत की राजधानी नई दिल्ली है और हिन्दी भाषा बोली जाती है।",
		"zh": "北京是中华人民共和国的首都，上海是最大的城市。abc中文def",
		"ja": "東京は日本の首都です。カタカナとひらがな。",
		"ar": "القاهرة هي عاصمة مصر والمدينة الأكبر في العالم العربي.",
		"xx": "Unknown language: words as they are, Ünïcödé ﬁnance ＦＵＬＬ ２０２４ ① ⅷ ²³.",
	}
	var es []store.Entry
	i := 0
	for lang, text := range texts {
		a := &article.Article{Title: string([]rune(text)[:20]), Authors: []string{"Zoë Ångström", "李 明"}, Language: lang,
			Paragraphs: []string{text, strings.ToUpper(text)}, Input: article.Input{Name: fmt.Sprintf("%d.txt", i)}}
		a.Finalize()
		es = append(es, store.Entry{Article: a})
		i++
	}
	for name, body := range map[string]string{"long.txt": strings.Repeat("x", 3000) + " after", "repeated.txt": strings.Repeat("again ", 300)} {
		a := &article.Article{Title: "past the limits", Language: "en", Paragraphs: []string{body}, Input: article.Input{Name: name}}
		a.Finalize()
		es = append(es, store.Entry{Article: a})
	}
	g := storetest.New(5)
	for j := range 50 {
		a, raw := g.Article(j, 3000)
		es = append(es, store.Entry{Article: a, Raw: raw})
	}
	if _, err := s.Put(ctx, es); err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("check: %s: %s", p.Area, p.Detail)
	}
	// Which were built: every row against the server's computation.
	built := 0
	for _, e := range es {
		r := newIndexRow(e.Article)
		v, missing, ok := s.lexicon.build(r)
		if len(missing) > 0 {
			confs := make([]string, len(missing))
			for i := range confs {
				confs[i] = r.config
			}
			if err := s.lexicon.learn(ctx, s.pool, confs, missing); err != nil {
				t.Fatal(err)
			}
			v, _, ok = s.lexicon.build(r)
		}
		if !ok {
			t.Logf("%s (%s): left to the server", e.Article.Input.Name, e.Article.Language)
			continue
		}
		built++
		var same bool
		if err := s.pool.QueryRow(ctx, `SELECT $1::tsvector = `+tsvectorSQL+` FROM (SELECT $2 AS config, $3 AS title, $4 AS authors, $5 AS body) u`,
			v, r.config, r.title, r.authors, r.body).Scan(&same); err != nil {
			t.Fatal(err)
		}
		if !same {
			t.Errorf("%s (%s): the built tsvector differs from the server's", e.Article.Input.Name, e.Article.Language)
		}
	}
	if built < 50 {
		t.Errorf("%d of %d articles built, want at least the 50 generated ones", built, len(es))
	}
}
