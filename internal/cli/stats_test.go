package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/internal/store"
)

func TestStatsCommand(t *testing.T) {
	db, _ := fixtureDB(t)
	out, errOut, code := nd(t, db, "", "stats")
	text := out
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"articles    4 (4 versions,", "raw inputs  4", "published   2031-04-02 .. 2031-04-20", "sources     Daily Lantern 2, La Gazette 1, The Harbor Post 1", "languages   en 3, fr 1", "(schema v"} {
		if !strings.Contains(out, want) {
			t.Errorf("stats lacks %q:\n%s", want, out)
		}
	}
	out, _, code = nd(t, db, "", "stats", "--json")
	var st store.Stats
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != ExitOK {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if st.Articles != 4 || st.RawInputs != 4 || st.SizeBytes == 0 || st.Location != db || st.SchemaVer < 8 {
		t.Errorf("stats %+v", st)
	}
	if want := fmt.Sprintf("(schema v%d,", st.SchemaVer); !strings.Contains(text, want) {
		t.Errorf("stats lacks %q:\n%s", want, text)
	}
	if _, _, code := nd(t, db, "", "stats", "extra"); code != ExitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
}
