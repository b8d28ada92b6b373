package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// bylinePrefixes open a byline in the languages newsdesk meets most.
var bylinePrefixes = []string{"by ", "von ", "par ", "por ", "di ", "door ", "av "}

// maxBylineWords bounds a byline: names, "and", and an outlet.
const maxBylineWords = 14

// parseByline reads a byline paragraph such as "By Ivo Brandt and Mara Lind,
// Daily Lantern" into its authors and the outlet after the comma or bar. It
// returns no authors for anything else: every name must be capitalized words,
// and the line must not be a sentence.
func parseByline(p string) (authors []string, outlet string) {
	lp := strings.ToLower(p)
	prefix := ""
	for _, bp := range bylinePrefixes {
		if strings.HasPrefix(lp, bp) {
			prefix = bp
			break
		}
	}
	if prefix == "" || len(strings.Fields(p)) > maxBylineWords || strings.ContainsAny(p, ".!?:;\"“”") && !initialsOnly(p) {
		return nil, ""
	}
	rest := strings.TrimSpace(p[len(prefix):])
	if i := strings.IndexAny(rest, ",|"); i >= 0 {
		outlet = strings.TrimSpace(rest[i+1:])
		rest = rest[:i]
		if !isNameRun(strings.TrimPrefix(outlet, "The ")) {
			outlet = ""
		}
	}
	for _, part := range splitNames(rest) {
		if !isNameRun(part) {
			return nil, ""
		}
		authors = append(authors, part)
	}
	return authors, outlet
}

// initialsOnly allows the periods of initials ("By J. R. Mensah").
func initialsOnly(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '!', '?', ':', ';', '"':
			return false
		case '.':
			if i < 1 || !unicode.IsUpper(rune(p[i-1])) || (i >= 2 && p[i-2] != ' ' && p[i-2] != '.') {
				return false
			}
		}
	}
	return !strings.ContainsAny(p, "“”")
}

func splitNames(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' }) {
		for _, g := range strings.Split(f, " and ") {
			for _, h := range strings.Split(g, " und ") {
				for _, k := range strings.Split(h, " et ") {
					for _, m := range strings.Split(k, " y ") {
						if m = strings.TrimSpace(m); m != "" {
							out = append(out, m)
						}
					}
				}
			}
		}
	}
	return out
}

// nameParticles may be lower case inside a name.
var nameParticles = map[string]bool{"van": true, "von": true, "de": true, "der": true, "da": true, "di": true, "du": true, "la": true, "le": true, "bin": true, "al": true, "el": true, "ter": true, "den": true, "dos": true, "das": true}

// notNameWords are capitalized words that follow "By" in sentences, not bylines.
var notNameWords = wordSet(`monday tuesday wednesday thursday friday saturday sunday january february march
	april may june july august september october november december the this that then now noon midnight
	law order contrast comparison far all today tonight yesterday tomorrow week weekend year`)

// isNameRun reports whether s is 1-5 words, each capitalized (or a particle),
// with at least one capitalized word.
func isNameRun(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	caps := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case notNameWords[strings.ToLower(strings.Trim(w, ",."))]:
			return false
		case unicode.IsUpper(r):
			caps++
		case nameParticles[w]:
		default:
			return false
		}
	}
	return caps > 0
}
