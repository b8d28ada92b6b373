package nlpeval

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsdesk/newsdesk/internal/shared"
)

func TestScoreEntitiesCounts(t *testing.T) {
	var r EntityReport
	r.ByType = map[string]PRF{}
	gold := map[mspan]string{{0, 5}: "PER", {10, 15}: "LOC", {20, 25}: "ORG"}
	spans := []mspan{{0, 5}, {10, 15}, {20, 25}}
	pred := map[mspan]string{{0, 5}: "PER", {10, 15}: "ORG", {21, 25}: "MISC", {30, 35}: "MISC", {40, 45}: "LOC"}
	r.scoreDoc(gold, spans, pred)
	if r.Typed != (PRF{TP: 1, FP: 3, FN: 2}) {
		t.Errorf("typed %v", r.Typed)
	}
	if r.Span != (PRF{TP: 2, FP: 2, FN: 1}) {
		t.Errorf("span %v", r.Span)
	}
	if r.MiscFP != 1 || r.MiscDropped != 1 || r.StrictTyped != (PRF{TP: 1, FP: 4, FN: 2}) {
		t.Errorf("misc %d/%d strict %v", r.MiscFP, r.MiscDropped, r.StrictTyped)
	}
	if r.Lenient != (PRF{TP: 1, FP: 2, FN: 2}) {
		t.Errorf("lenient %v", r.Lenient)
	}
	if r.ByType["LOC"] != (PRF{FP: 1, FN: 1}) {
		t.Errorf("LOC %v", r.ByType["LOC"])
	}
}

// TestEntitiesUNERDev holds a floor on the UNER English-EWT dev split
// (the model is trained on the train split only).
func TestEntitiesUNERDev(t *testing.T) {
	path := shared.Path(t, "bench/nlp/uner_en_ewt/dev.jsonl")
	r, err := ScoreEntities(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	const floor = 0.64
	if f := r.Typed.F1(); f < floor {
		t.Errorf("exact span+type F1 %.3f below floor %.3f", f, floor)
	}
}

// TestEntitiesOwnFold scores the fictional held-out news in
// enrich/testdata/ner/own.jsonl (never trained on).
func TestEntitiesOwnFold(t *testing.T) {
	r, err := ScoreEntities("../../enrich/testdata/ner/own.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + r.String())
	const floor = 0.84
	if f := r.Typed.F1(); f < floor {
		t.Errorf("own fold exact span+type F1 %.3f below floor %.3f", f, floor)
	}
}

// TestOwnFoldSource checks that the fictional news JSONL files equal
// their marked-up sources (enrich/testdata/ner/*.txt).
func TestOwnFoldSource(t *testing.T) {
	for _, name := range []string{"own", "train_own"} {
		raw, err := os.ReadFile("../../enrich/testdata/ner/" + name + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		want := parseMarkup(string(raw))
		var got []unerRecord
		if err := ReadJSONL("../../enrich/testdata/ner/"+name+".jsonl", func(r unerRecord) error {
			got = append(got, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s.jsonl does not match %s.txt", name, name)
		}
	}
}

var markup = regexp.MustCompile(`\[(PER|LOC|ORG) ([^\]]+)\]`)

// parseMarkup reads "# doc ID" headers and lines with [TYPE text] marks.
func parseMarkup(src string) []unerRecord {
	var out []unerRecord
	var cur *unerRecord
	for _, line := range strings.Split(src, "\n") {
		if id, ok := strings.CutPrefix(line, "# doc "); ok {
			out = append(out, unerRecord{ID: id})
			cur = &out[len(out)-1]
			continue
		}
		if strings.TrimSpace(line) == "" || cur == nil {
			continue
		}
		if cur.Text != "" {
			cur.Text += "\n"
		}
		pos := 0
		for _, m := range markup.FindAllStringSubmatchIndex(line, -1) {
			cur.Text += line[pos:m[0]]
			s := utf8.RuneCountInString(cur.Text)
			cur.Text += line[m[4]:m[5]]
			cur.Entities = append(cur.Entities, struct {
				Start int    `json:"start"`
				End   int    `json:"end"`
				Type  string `json:"type"`
				Text  string `json:"text"`
			}{s, utf8.RuneCountInString(cur.Text), line[m[2]:m[3]], line[m[4]:m[5]]})
			pos = m[1]
		}
		cur.Text += line[pos:]
	}
	return out
}
