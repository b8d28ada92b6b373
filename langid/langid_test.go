package langid

import "testing"

func TestDetect(t *testing.T) {
	cases := []struct{ text, want string }{
		{"The council said that the bridge would open to traffic on Monday and that it was safe.", "en"},
		{"Der Rat sagte, dass die Brücke am Montag für den Verkehr freigegeben wird und sicher ist.", "de"},
		{"Le conseil a déclaré que le pont sera ouvert à la circulation lundi et qu'il est sûr pour les habitants.", "fr"},
		{"Совет заявил, что мост откроется для движения в понедельник.", "ru"},
		{"市议会表示，这座桥将于周一通车。工程师说桥梁已经过全面检查，可以安全使用。", "zh"},
		{"", ""},
		{"12345 678", ""},
	}
	for _, c := range cases {
		if got := Detect([]string{c.text}); got != c.want {
			t.Errorf("Detect(%.30q) = %q, want %q", c.text, got, c.want)
		}
	}
}
