package repair

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// publisherIn finds a publisher named in a call to action or copyright line:
// the capitalized name after "from", "to", "follow" or "©", e.g.
// "Want more stories like this from the Daily Mail?" gives "Daily Mail".
// A lower-case "the" is dropped; a capitalized "The" is part of the name.
func publisherIn(line string) string {
	fields := strings.Fields(line)
	for i, f := range fields {
		lf := strings.ToLower(strings.Trim(f, ",.:;!?"))
		switch lf {
		case "from", "to", "follow", "©", "copyright", "(c)":
		default:
			if !strings.HasPrefix(f, "©") {
				continue
			}
		}
		j := i + 1
		if strings.HasPrefix(f, "©") && len(f) > len("©") {
			fields[i] = strings.TrimPrefix(f, "©")
			j = i
		}
		// Skip a year after a copyright sign.
		for j < len(fields) && isYear(fields[j]) {
			j++
		}
		if j < len(fields) && fields[j] == "the" {
			j++
		}
		if name := capitalizedRun(fields[j:]); name != "" {
			return name
		}
	}
	return ""
}

func isYear(s string) bool {
	s = strings.Trim(s, ",.-–")
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// nameJoiners may sit inside a publisher's name.
var nameJoiners = map[string]bool{"of": true, "and": true, "&": true, "de": true, "du": true, "la": true, "le": true}

// notNames are capitalized words that start a sentence, not a name.
var notNames = map[string]bool{"Twitter": true, "Facebook": true, "Instagram": true, "Hit": true, "Click": true, "Subscribe": true, "Our": true, "Your": true, "Us": true}

func capitalizedRun(fields []string) string {
	var name []string
	for _, f := range fields {
		trimmed := strings.TrimRight(f, ",.:;!?'\")")
		r, _ := utf8.DecodeRuneInString(trimmed)
		switch {
		case trimmed == "":
			return strings.Join(name, " ")
		case unicode.IsUpper(r) && !notNames[trimmed]:
			name = append(name, trimmed)
		case len(name) > 0 && nameJoiners[trimmed]:
			name = append(name, trimmed)
		default:
			return trimJoiners(name)
		}
		if trimmed != f { // punctuation ends the name
			return trimJoiners(name)
		}
	}
	return trimJoiners(name)
}

func trimJoiners(name []string) string {
	for len(name) > 0 && nameJoiners[name[len(name)-1]] {
		name = name[:len(name)-1]
	}
	return strings.Join(name, " ")
}
