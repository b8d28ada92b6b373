package enrich

import "testing"

func TestGivenNameGender(t *testing.T) {
	for _, c := range []struct {
		name string
		g    byte
		ok   bool
	}{
		{"Angela", 'f', true}, {"emmanuel", 'm', true}, {"Paolo De Santis", 'm', true},
		{"Hillary", 'f', true}, {"Jordan", 0, false}, {"Xyzzy", 0, false}, {"", 0, false},
	} {
		g, ok := givenNameGender(c.name)
		if g != c.g || ok != c.ok {
			t.Errorf("givenNameGender(%q) = %q, %v; want %q, %v", c.name, g, ok, c.g, c.ok)
		}
	}
}
