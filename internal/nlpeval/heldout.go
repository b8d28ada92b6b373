package nlpeval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// The held-out news fold (enrich/testdata/heldout) is written once as
// marked-up source text, one file per article under src/, and the three
// gold files (entities.jsonl, times.jsonl, quotes.jsonl) are generated
// from it by BuildHeldout (go run ./internal/nlpeval/heldoutgen), so that
// no offset is counted by hand.
//
// A source file is a header, a line "--", and the article:
//
//	id: 07-courts-ferry
//	dct: 2025-06-12
//	--
//	Headline
//
//	First paragraph ...
//
// Markup in the article (it nests; each closer ends the innermost open
// span of its kind, so spans of different kinds may overlap):
//
//	[PER Amara Okonkwo]  [LOC Varnholt]  [ORG Brightwater Holdings Corp.]
//	{DATE|2025-03-11 last Tuesday}  {TIME|2025-03-14T10:30 10:30 a.m.}
//	{DURATION|PT3H three hours}  {SET|XXXX-WXX-2 every Tuesday}
//	<S1 she> <C1 said> <Q1 "We will win.">   (source, cue, content of
//	attribution 1; several <Q1 ...> are the fragments of one content)
//
// The characters [ ] { } < > are markup only and never appear in the text.

// HeldoutArticle is one parsed source article.
type HeldoutArticle struct {
	ID, DCT, Text string
	Entities      []heldoutSpan
	Timexes       []heldoutSpan
	Attributions  []*heldoutAttr
}

type heldoutSpan struct {
	Start, End  int
	Type, Value string
	Text        string
}

type heldoutAttr struct {
	N              int
	Source, Cue    *heldoutSpan
	Content        []heldoutSpan
	HasDirectQuote bool
}

// ParseHeldout parses one marked-up source file.
func ParseHeldout(name string, src []byte) (*HeldoutArticle, error) {
	head, body, ok := strings.Cut(string(src), "\n--\n")
	if !ok {
		return nil, fmt.Errorf("%s: no header separator line \"--\"", name)
	}
	a := &HeldoutArticle{}
	for _, line := range strings.Split(head, "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch strings.TrimSpace(k) {
		case "id":
			a.ID = strings.TrimSpace(v)
		case "dct":
			a.DCT = strings.TrimSpace(v)
		case "":
		default:
			return nil, fmt.Errorf("%s: unknown header %q", name, line)
		}
	}
	if a.ID == "" || a.DCT == "" {
		return nil, fmt.Errorf("%s: id and dct are required", name)
	}
	body = strings.TrimSpace(body)
	type open struct {
		kind  byte // '[', '{', '<'
		start int
		typ   string
		value string
		role  byte // S, C, Q
		n     int
	}
	var out []rune
	stacks := map[byte][]open{}
	attrs := map[int]*heldoutAttr{}
	in := []rune(body)
	errAt := func(i int, f string, args ...any) error {
		line := strings.Count(string(in[:i]), "\n") + 1
		return fmt.Errorf("%s: article line %d: %s", name, line, fmt.Sprintf(f, args...))
	}
	for i := 0; i < len(in); i++ {
		r := in[i]
		switch r {
		case '[', '{', '<':
			j := i + 1
			for j < len(in) && in[j] != ' ' && in[j] != '\n' {
				j++
			}
			tag := string(in[i+1 : j])
			o := open{kind: byte(r), start: len(out)}
			switch r {
			case '[':
				if tag != "PER" && tag != "LOC" && tag != "ORG" {
					return nil, errAt(i, "entity type %q", tag)
				}
				o.typ = tag
			case '{':
				t, v, ok := strings.Cut(tag, "|")
				if !ok || v == "" || (t != "DATE" && t != "TIME" && t != "DURATION" && t != "SET") {
					return nil, errAt(i, "timex tag %q", tag)
				}
				o.typ, o.value = t, v
			case '<':
				if len(tag) < 2 || !strings.ContainsRune("SCQ", rune(tag[0])) {
					return nil, errAt(i, "attribution tag %q", tag)
				}
				n, err := strconv.Atoi(tag[1:])
				if err != nil {
					return nil, errAt(i, "attribution tag %q", tag)
				}
				o.role, o.n = tag[0], n
			}
			stacks[o.kind] = append(stacks[o.kind], o)
			i = j // skip the single space after the tag
		case ']', '}', '>':
			k := map[rune]byte{']': '[', '}': '{', '>': '<'}[r]
			st := stacks[k]
			if len(st) == 0 {
				return nil, errAt(i, "%q closes nothing", r)
			}
			o := st[len(st)-1]
			stacks[k] = st[:len(st)-1]
			sp := heldoutSpan{Start: o.start, End: len(out), Type: o.typ, Value: o.value, Text: string(out[o.start:])}
			if sp.Text == "" || unicode.IsSpace([]rune(sp.Text)[0]) || unicode.IsSpace([]rune(sp.Text)[len([]rune(sp.Text))-1]) {
				return nil, errAt(i, "empty or untrimmed span %q", sp.Text)
			}
			switch k {
			case '[':
				a.Entities = append(a.Entities, sp)
			case '{':
				a.Timexes = append(a.Timexes, sp)
			case '<':
				at := attrs[o.n]
				if at == nil {
					at = &heldoutAttr{N: o.n}
					attrs[o.n] = at
				}
				switch o.role {
				case 'S':
					if at.Source != nil {
						return nil, errAt(i, "attribution %d has two sources", o.n)
					}
					at.Source = &sp
				case 'C':
					if at.Cue != nil {
						return nil, errAt(i, "attribution %d has two cues", o.n)
					}
					at.Cue = &sp
				case 'Q':
					at.Content = append(at.Content, sp)
				}
			}
		default:
			out = append(out, r)
		}
	}
	for k, st := range stacks {
		if len(st) > 0 {
			return nil, fmt.Errorf("%s: %d unclosed %q spans", name, len(st), k)
		}
	}
	a.Text = string(out)
	ns := make([]int, 0, len(attrs))
	for n := range attrs {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	for _, n := range ns {
		at := attrs[n]
		if len(at.Content) == 0 {
			return nil, fmt.Errorf("%s: attribution %d has no content", name, n)
		}
		for _, c := range at.Content {
			if strings.ContainsFunc(c.Text, isDoubleQuote) ||
				c.Start > 0 && isDoubleQuote(out[c.Start-1]) || c.End < len(out) && isDoubleQuote(out[c.End]) {
				at.HasDirectQuote = true
			}
		}
		a.Attributions = append(a.Attributions, at)
	}
	sortSpans := func(s []heldoutSpan) {
		sort.SliceStable(s, func(i, j int) bool { return s[i].Start < s[j].Start })
	}
	sortSpans(a.Entities)
	sortSpans(a.Timexes)
	return a, nil
}

// LoadHeldout parses every src/*.txt under dir, in name order.
func LoadHeldout(dir string) ([]*HeldoutArticle, error) {
	names, err := filepath.Glob(filepath.Join(dir, "src", "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*HeldoutArticle
	seen := map[string]bool{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		a, err := ParseHeldout(filepath.Base(n), b)
		if err != nil {
			return nil, err
		}
		if seen[a.ID] {
			return nil, fmt.Errorf("%s: duplicate id %q", n, a.ID)
		}
		seen[a.ID] = true
		out = append(out, a)
	}
	return out, nil
}

// BuildHeldout renders the three gold files (entities.jsonl in the UNER
// format, times.jsonl in the TempEval format, quotes.jsonl in the PolNeAR
// format), keyed by file name.
func BuildHeldout(arts []*HeldoutArticle) (map[string][]byte, error) {
	type ent struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Type  string `json:"type"`
		Text  string `json:"text"`
	}
	type tmx struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Type  string `json:"type"`
		Value string `json:"value"`
		Text  string `json:"text"`
	}
	type span struct {
		Start     int     `json:"start"`
		End       int     `json:"end"`
		Text      string  `json:"text"`
		Fragments [][]int `json:"fragments,omitempty"`
	}
	type attr struct {
		ID             string `json:"id"`
		Source         *span  `json:"source"`
		Cue            *span  `json:"cue"`
		Content        span   `json:"content"`
		HasDirectQuote bool   `json:"has_direct_quote"`
	}
	var eb, tb, qb bytes.Buffer
	line := func(b *bytes.Buffer, v any) error {
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(j)
		b.WriteByte('\n')
		return nil
	}
	for _, a := range arts {
		runes := []rune(a.Text)
		es := []ent{}
		for _, e := range a.Entities {
			es = append(es, ent{e.Start, e.End, e.Type, e.Text})
		}
		if err := line(&eb, struct {
			ID       string `json:"id"`
			Text     string `json:"text"`
			Entities []ent  `json:"entities"`
		}{a.ID, a.Text, es}); err != nil {
			return nil, err
		}
		ts := []tmx{}
		for _, t := range a.Timexes {
			ts = append(ts, tmx(t))
		}
		if err := line(&tb, struct {
			ID      string `json:"id"`
			DCT     string `json:"dct"`
			Text    string `json:"text"`
			Timexes []tmx  `json:"timexes"`
		}{a.ID, a.DCT, a.Text, ts}); err != nil {
			return nil, err
		}
		as := []attr{}
		one := func(s *heldoutSpan) *span {
			if s == nil {
				return nil
			}
			return &span{Start: s.Start, End: s.End, Text: s.Text}
		}
		for _, at := range a.Attributions {
			c := at.Content
			sort.Slice(c, func(i, j int) bool { return c[i].Start < c[j].Start })
			cs := span{Start: c[0].Start, End: c[len(c)-1].End}
			cs.Text = string(runes[cs.Start:cs.End])
			if len(c) > 1 {
				for _, f := range c {
					cs.Fragments = append(cs.Fragments, []int{f.Start, f.End})
				}
			}
			as = append(as, attr{ID: fmt.Sprintf("A%d", at.N), Source: one(at.Source), Cue: one(at.Cue), Content: cs, HasDirectQuote: at.HasDirectQuote})
		}
		if err := line(&qb, struct {
			ID              string `json:"id"`
			PublicationDate string `json:"publication_date"`
			Text            string `json:"text"`
			Attributions    []attr `json:"attributions"`
		}{a.ID, a.DCT, a.Text, as}); err != nil {
			return nil, err
		}
	}
	return map[string][]byte{"entities.jsonl": eb.Bytes(), "times.jsonl": tb.Bytes(), "quotes.jsonl": qb.Bytes()}, nil
}
