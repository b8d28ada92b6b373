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
	if name := possessiveName(fields); name != "" {
		return name
	}
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

// possessiveName finds "Coastline Wire's" in "Get Coastline Wire's morning
// briefing": the capitalized words before a possessive, after any call-to-
// action verb that opens the sentence.
func possessiveName(fields []string) string {
	for i, f := range fields {
		base, ok := strings.CutSuffix(f, "'s")
		if !ok {
			base, ok = strings.CutSuffix(f, "’s")
		}
		if !ok || base == "" {
			continue
		}
		start := i
		for start > 0 {
			prev := fields[start-1]
			r, _ := utf8.DecodeRuneInString(prev)
			if !unicode.IsUpper(r) || ctaActions[strings.ToLower(prev)] || notNames[prev] || strings.ContainsAny(prev, ".?!:") {
				break
			}
			start--
		}
		r, _ := utf8.DecodeRuneInString(base)
		if !unicode.IsUpper(r) || (start == i && notNameWords[strings.ToLower(base)]) {
			continue
		}
		return strings.Join(append(append([]string{}, fields[start:i]...), base), " ")
	}
	return ""
}
