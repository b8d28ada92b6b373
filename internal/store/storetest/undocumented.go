package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// RunUndocumented checks what the SQLite store does and users see, but
// the store.Store documentation does not promise (yet): diacritic folding,
// words inside CJK text, Get and Versions by URL, a "www." source filter,
// language filters in any case, and story outlets never nil. Each subtest
// opens its own store.
func RunUndocumented(t *testing.T, open func(t *testing.T) store.Store) {
	ctx := context.Background()
	t.Run("Search", func(t *testing.T) {
		s := open(t)
		searchFixture(t, s)
		runSearchCases(t, s, []searchCase{
			{name: "diacritics folded", q: store.Query{Text: "cafe"}, want: []string{"elections"}},
			{name: "stemming and folding", q: store.Query{Text: "elections"}, want: []string{"election", "election", "elections"}},
			{name: "source filter with www.", q: store.Query{Text: "council", Filter: store.Filter{Source: "www.dailylantern.example"}}, want: []string{"election"}},
			{name: "lang filter in upper case", q: store.Query{Text: "comte OR council", Filter: store.Filter{Lang: "FR"}}, want: []string{"elections"}},
		})
	})

	t.Run("SearchCJK", func(t *testing.T) { checkSearchCJK(t, open(t)) })

	t.Run("GetByURL", func(t *testing.T) {
		s := open(t)
		a := mkArticle("https://lantern.example/2031/03/quay", "Daily Lantern", "Quay repairs begin", march(4), "Crews began repairs on the old quay.")
		mustPut(t, s, store.Entry{Article: a})
		for _, ref := range []string{a.URL, "https://lantern.example/2031/03/quay/", "http://www.lantern.example/2031/03/quay?utm_medium=rss"} {
			got, err := s.Get(ctx, ref)
			if err != nil || got.ID != a.ID {
				t.Errorf("Get(%q) = %v, want %s", ref, err, a.ID)
			}
			if vs, err := s.Versions(ctx, ref); err != nil || len(vs) != 1 {
				t.Errorf("Versions(%q) = %v, %v", ref, vs, err)
			}
			if v, err := s.GetVersion(ctx, ref, 1); err != nil || v.ID != a.ID {
				t.Errorf("GetVersion(%q, 1) = %v", ref, err)
			}
		}
		if _, err := s.Get(ctx, "https://lantern.example/other"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Get of another URL: %v, want ErrNotFound", err)
		}
	})

	t.Run("StoryOutletsNeverNil", func(t *testing.T) {
		s := open(t)
		must(t, s.PutStories(ctx, []store.StoryState{{ID: "story-10", Headline: "Ferry", First: march(3), Last: march(3), Count: 1}}))
		all, err := s.Stories(ctx, time.Time{})
		if err != nil || len(all) != 1 || all[0].Outlets == nil {
			t.Errorf("Stories = %+v, %v; want empty, not nil, outlets", all, err)
		}
	})
}

// CJKArticles returns fictional Chinese, Japanese and Korean articles
// from one outlet, published on the same day.
func CJKArticles() []*article.Article {
	mk := func(url, lang, title string, paras ...string) *article.Article {
		a := mkArticle(url, "Asia Wire", title, march(6), paras...)
		a.Language = lang
		a.Finalize()
		return a
	}
	return []*article.Article{
		mk("https://asiawire.example/ja-patent", "ja", "青葉特許業務法人が新事務所を開設",
			"青葉特許業務法人は来月、港区に新しい事務所を開く。代表の山路氏は「出願の相談を増やしたい」と話した。"),
		mk("https://asiawire.example/ja-ferry", "ja", "島のフェリー運航を再開",
			"霧島汽船は修理を終え、本土と島を結ぶフェリーの運航を月曜日に再開した。特許の話題はない。"),
		mk("https://asiawire.example/zh-library", "zh", "河湾市图书馆扩建工程完工",
			"河湾市图书馆扩建工程周一完工，新馆增加了儿童阅览室和古籍修复中心。"),
		mk("https://asiawire.example/zh-rail", "zh", "新轻轨线路开通",
			"连接河湾市与东岛的新轻轨线路今天开通，市民可以在二十分钟内抵达图书馆。"),
		mk("https://asiawire.example/ko-market", "ko", "한빛시장 재개장",
			"한빛시장은 석 달간의 보수 공사를 마치고 토요일에 다시 문을 열었다. 상인들은 새 지붕을 반겼다."),
		mk("https://asiawire.example/ko-bridge", "ko", "강변대교 통행 재개",
			"강변대교가 점검을 마치고 월요일부터 차량 통행을 재개했다고 시청이 밝혔다."),
	}
}

// checkSearchCJK: a word inside a run of CJK characters is found, and a
// title match ranks first.
func checkSearchCJK(t *testing.T, s store.Store) {
	var es []store.Entry
	for _, a := range CJKArticles() {
		es = append(es, store.Entry{Article: a})
	}
	mustPut(t, s, es...)
	for _, tt := range []struct {
		q       string
		want    []string
		ordered bool
	}{
		{"特許", []string{"ja-patent", "ja-ferry"}, true},  // the title match ranks first
		{"業務法人", []string{"ja-patent"}, true},            // a longer word inside the run
		{"フェリー", []string{"ja-ferry"}, true},             // katakana
		{"事務所 開設", []string{"ja-patent"}, true},          // two words, both must match
		{"图书馆", []string{"zh-library", "zh-rail"}, true}, // title first
		{"轻轨", []string{"zh-rail"}, true},
		{"图书馆 -扩建", []string{"zh-rail"}, true},
		{"title:图书馆", []string{"zh-library"}, true},
		{"시장", []string{"ko-market"}, true}, // inside 한빛시장은
		{"통행", []string{"ko-bridge"}, true},
		{"대교 OR 시장", []string{"ko-bridge", "ko-market"}, false},
		{"特許事務", nil, true}, // not adjacent anywhere
	} {
		hits, err := s.Search(context.Background(), store.Query{Text: tt.q, MarkStart: "[", MarkEnd: "]"})
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.q, err)
		}
		got := lastPathElems(hits)
		if !tt.ordered {
			slices.Sort(got)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.q, got, tt.want)
			continue
		}
		if tt.q == "轻轨" && !strings.Contains(hits[0].Snippet, "[轻轨]") {
			t.Errorf("%s: snippet %q lacks the highlighted word", tt.q, hits[0].Snippet)
		}
	}
}
