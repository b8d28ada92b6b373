package nlpeval

import (
	"fmt"
	"os"
	"testing"

	"github.com/newsdesk/newsdesk/internal/shared"
)

// TestDumpQuotes writes every quote error of a PolNeAR split to the file
// named by NEWSDESK_QUOTES_DUMP (split from NEWSDESK_QUOTES_SPLIT, "train"
// by default), for development; without the variable it does nothing.
func TestDumpQuotes(t *testing.T) {
	out := os.Getenv("NEWSDESK_QUOTES_DUMP")
	if out == "" {
		t.Skip("NEWSDESK_QUOTES_DUMP not set")
	}
	split := os.Getenv("NEWSDESK_QUOTES_SPLIT")
	if split == "" {
		split = "train"
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := ScoreQuotesCases(shared.Path(t, "bench/nlp/polnear/"+split+".jsonl"), func(c QuoteCase) {
		switch {
		case c.Missed:
			fmt.Fprintf(f, "MISS\t%s\t%q\t%d-%d\n", c.DocID, c.Gold.Text, c.Gold.Start, c.Gold.End)
		case c.FP:
			fmt.Fprintf(f, "FP\t%s\t%q\tspeaker=%q\t%d-%d\n", c.DocID, c.Gold.Text, c.Pred.Speaker, c.Gold.Start, c.Gold.End)
		case c.Source != nil && !c.Right:
			kind := "DESC"
			if c.Named {
				kind = "NAMED"
			}
			ps := ""
			if c.PredSpan != nil {
				ps = c.PredSpan.Text
			}
			cue := ""
			if c.Cue != nil {
				cue = c.Cue.Text
			}
			fmt.Fprintf(f, "WRONG-%s\t%s\tgold=%q\tcue=%q\tpred=%q span=%q\tquote=%.80q\n\t\t%q\n", kind, c.DocID, c.Source.Text, cue, c.Pred.Speaker, ps, c.Pred.Text, c.Context)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.String())
}
