package enrich

import (
	_ "embed"
	"strings"
	"sync"
)

// Genders of people, as the quote pass tracks them.
const (
	gMale   byte = 'm'
	gFemale byte = 'f'
)

// givenNamesData lists given names whose bearers are, by a clear majority, of
// one gender: one "name m" or "name f" a line, lower case (see
// data/README.md for the source and its licence).
//
//go:embed data/given_names.txt
var givenNamesData string

var (
	givenOnce sync.Once
	givenMap  map[string]byte
)

func loadGivenNames() {
	givenMap = make(map[string]byte, 6400)
	s := givenNamesData
	for len(s) > 0 {
		line := s
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if n := len(line); n >= 3 && line[n-2] == ' ' {
			givenMap[line[:n-2]] = line[n-1]
		}
	}
}

// givenNameGender returns the gender ('m' or 'f') that the given name key
// (a first name in any case, or an entity key's first word) points to,
// and whether the list knows it.
func givenNameGender(key string) (g byte, ok bool) {
	givenOnce.Do(loadGivenNames)
	if i := strings.IndexByte(key, ' '); i >= 0 {
		key = key[:i]
	}
	var buf [32]byte
	if b, fits := lowerASCII(buf[:], key); fits {
		g, ok = givenMap[string(b)]
		return g, ok
	}
	g, ok = givenMap[entityKey(key)]
	return g, ok
}
