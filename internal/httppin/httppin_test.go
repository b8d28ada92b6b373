package httppin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/newsdesk/newsdesk/internal/httppin"
)

type pinKey struct{}

// fakePinner counts pins and releases; a pinned context carries pinKey.
type fakePinner struct{ pins, releases int }

func (p *fakePinner) Pin(ctx context.Context) (context.Context, func(), error) {
	p.pins++
	return context.WithValue(ctx, pinKey{}, true), func() { p.releases++ }, nil
}

func TestServeReleasesAtTheFirstWrite(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(w http.ResponseWriter)
	}{
		{"header", func(w http.ResponseWriter) { w.WriteHeader(http.StatusTeapot) }},
		{"body", func(w http.ResponseWriter) { w.Write([]byte("page")) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &fakePinner{}
			var pinnedInHandler bool
			var releasedBeforeWrite, releasedAfterWrite int
			httppin.Serve(p, httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), func(w http.ResponseWriter, r *http.Request) {
				pinnedInHandler = r.Context().Value(pinKey{}) != nil
				releasedBeforeWrite = p.releases
				tc.write(w)
				releasedAfterWrite = p.releases
			})
			if !pinnedInHandler || p.pins != 1 {
				t.Errorf("pinned in handler %v, %d pins", pinnedInHandler, p.pins)
			}
			if releasedBeforeWrite != 0 || releasedAfterWrite == 0 {
				t.Errorf("releases before the write %d, after %d; want 0, then some", releasedBeforeWrite, releasedAfterWrite)
			}
		})
	}
}

// A handler that writes nothing releases when it returns.
func TestServeReleasesOnReturn(t *testing.T) {
	p := &fakePinner{}
	httppin.Serve(p, httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), func(http.ResponseWriter, *http.Request) {})
	if p.releases == 0 {
		t.Error("no release after the handler returned")
	}
}

// A store that cannot pin serves unpinned.
func TestServeWithoutPinner(t *testing.T) {
	rec := httptest.NewRecorder()
	httppin.Serve(struct{}{}, rec, httptest.NewRequest("GET", "/", nil), func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("ok"))
	})
	if rec.Body.String() != "ok" {
		t.Errorf("body %q", rec.Body.String())
	}
}
