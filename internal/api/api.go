// Package api serves newsdesk's JSON API under /api/v1 over a store.Store
// that also implements store.Newsroom.
//
// Every endpoint is a row of one route table (routes.go): the table
// registers the handlers and generates the OpenAPI 3.1 document served at
// /api/v1/openapi.json, with the schemas of the bodies derived from their Go
// types by reflection, so the document cannot describe an endpoint or a
// field that the code does not have. Tests walk the table and validate real
// responses against the document.
//
// Errors are RFC 9457 problem documents (application/problem+json) that say
// what went wrong, never with a stack trace or SQL text.
package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/newsdesk/newsdesk/internal/httppin"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
	"github.com/newsdesk/newsdesk/internal/query"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// Options configure the API.
type Options struct {
	// Store must implement store.Newsroom too.
	Store store.Store
	// Token, when set, is required as "Authorization: Bearer TOKEN" by
	// every write endpoint.
	Token string
	// Ingester stores submitted articles; nil makes one over Store.
	Ingester *Ingester
	// Fetcher fetches submitted URLs; nil refuses URL submissions.
	Fetcher *fetch.Client
	// Log receives errors and panics; nil discards.
	Log *slog.Logger
	// Now is the clock (tests fix it); nil means time.Now.
	Now func() time.Time
	// OnStored is told of each stored submission's result (ingested,
	// updated, unchanged); OnFailure of each failure by kind (fetch,
	// process, store, request, panic). Both may be nil.
	OnStored  func(result string)
	OnFailure func(kind string)
	// SubmitTimeout bounds one submission (fetch and processing); 0
	// means 2 minutes.
	SubmitTimeout time.Duration
}

// API is the JSON API's handler.
type API struct {
	opts  Options
	st    store.Store
	nr    store.Newsroom
	mux   *http.ServeMux
	log   *slog.Logger
	token [32]byte
	doc   []byte
}

// New builds the API over opts.Store, which must implement store.Newsroom.
func New(opts Options) (*API, error) {
	nr, ok := store.AsNewsroom(opts.Store)
	if !ok {
		return nil, errors.New("api: the store does not implement store.Newsroom")
	}
	a := &API{opts: opts, st: opts.Store, nr: nr, mux: http.NewServeMux(), log: opts.Log}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.opts.Now == nil {
		a.opts.Now = time.Now
	}
	if a.opts.Ingester == nil {
		a.opts.Ingester = &Ingester{Store: opts.Store, Log: opts.Log}
	}
	if a.opts.SubmitTimeout <= 0 {
		a.opts.SubmitTimeout = 2 * time.Minute
	}
	if opts.Token != "" {
		a.token = sha256.Sum256([]byte(opts.Token))
	}
	for _, rt := range Routes() {
		a.mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	a.mux.HandleFunc(Prefix+"/", a.notRouted)
	doc, err := json.MarshalIndent(OpenAPI(), "", "  ")
	if err != nil {
		return nil, err
	}
	a.doc = doc
	return a, nil
}

// ServeHTTP serves the API; mount it at /api/v1/.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// notRouted answers a request no route takes: 405 with Allow when the
// path takes other methods, else 404.
func (a *API) notRouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{"GET", "POST", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != Prefix+"/" && pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		a.problem(w, r, &Error{Status: http.StatusMethodNotAllowed, Detail: fmt.Sprintf("%s takes %s, not %s", r.URL.Path, strings.Join(allow, ", "), r.Method)})
		return
	}
	a.problem(w, r, &Error{Status: http.StatusNotFound, Detail: fmt.Sprintf("no API endpoint %s %s (see %s/openapi.json)", r.Method, r.URL.Path, Prefix)})
}

// Error is an API error: a status and a message for the client.
type Error struct {
	Status int
	Detail string
	// Extensions of the problem document.
	Candidates []Candidate
	Matches    int
	Column     int
	err        error // the cause, logged, never shown
}

func (e *Error) Error() string { return e.Detail }
func (e *Error) Unwrap() error { return e.err }

func badRequest(format string, args ...any) error {
	return &Error{Status: http.StatusBadRequest, Detail: fmt.Sprintf(format, args...)}
}

// wrap adds to a route's handler: the token rule, the body limit, panic
// recovery and error mapping.
func (a *API) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.fail("panic")
				a.log.Error("api: panic", "route", rt.Method+" "+rt.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				a.problem(w, r, &Error{Status: http.StatusInternalServerError, Detail: "the server failed to answer this request; the failure is logged"})
			}
		}()
		if rt.Write {
			if err := a.authorize(w, r); err != nil {
				a.problem(w, r, err)
				return
			}
		}
		if rt.MaxBody > 0 && r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, rt.MaxBody)
		}
		serve := func(w http.ResponseWriter, r *http.Request) {
			if err := rt.handle(a, w, r); err != nil {
				a.problem(w, r, err)
			}
		}
		if rt.Write {
			serve(w, r)
			return
		}
		// A read's queries share one connection until it answers.
		httppin.Serve(a.st, w, r, serve)
	})
}

// authorize applies the token rule to a write.
func (a *API) authorize(w http.ResponseWriter, r *http.Request) error {
	if a.opts.Token == "" {
		return nil
	}
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "Bearer") {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsdesk"`)
		return &Error{Status: http.StatusUnauthorized, Detail: "this endpoint writes: send the API token as 'Authorization: Bearer TOKEN'"}
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	if subtle.ConstantTimeCompare(sum[:], a.token[:]) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsdesk", error="invalid_token"`)
		return &Error{Status: http.StatusForbidden, Detail: "the API token is wrong"}
	}
	return nil
}

func (a *API) fail(kind string) {
	if a.opts.OnFailure != nil {
		a.opts.OnFailure(kind)
	}
}

// problem writes err as a problem document.
func (a *API) problem(w http.ResponseWriter, r *http.Request, err error) {
	e := a.toError(r, err)
	if e.Status >= 500 {
		a.log.Error("api: request failed", "method", r.Method, "path", r.URL.Path, "status", e.Status, "err", err)
	}
	p := Problem{Type: "about:blank", Title: http.StatusText(e.Status), Status: e.Status, Detail: e.Detail, Instance: r.URL.Path,
		Candidates: e.Candidates, Matches: e.Matches, Column: e.Column}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(e.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(p)
}

// toError maps an error to what the client is told: store errors by kind,
// anything unknown as a 500 that says nothing of the database's internals.
func (a *API) toError(r *http.Request, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var mbe *http.MaxBytesError
	var pe *store.PrefixError
	var se *query.SyntaxError
	switch {
	case errors.As(err, &mbe):
		return &Error{Status: http.StatusRequestEntityTooLarge, Detail: fmt.Sprintf("the request body is larger than %d bytes", mbe.Limit)}
	case errors.As(err, &pe):
		out := &Error{Status: http.StatusConflict, Detail: fmt.Sprintf("id prefix %q matches %d articles: give more of the id", pe.Prefix, pe.Matches), Matches: pe.Matches}
		if pe.TooShort {
			out.Status, out.Detail = http.StatusBadRequest, fmt.Sprintf("id prefix %q is too short: give %d characters or more", pe.Prefix, pe.MinLen)
		}
		for _, id := range pe.Candidates {
			c := Candidate{ID: id}
			if art, err := a.st.Get(r.Context(), id); err == nil {
				c.Title = art.Title
			}
			out.Candidates = append(out.Candidates, c)
		}
		return out
	case errors.As(err, &se):
		return &Error{Status: http.StatusBadRequest, Detail: "query: " + se.Msg, Column: se.Col}
	case errors.Is(err, store.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Detail: "not found"}
	case errors.Is(err, store.ErrAmbiguous):
		return &Error{Status: http.StatusConflict, Detail: "ambiguous id prefix: give more of the id"}
	case errors.Is(err, store.ErrBadCursor):
		return &Error{Status: http.StatusBadRequest, Detail: "the cursor is not one this list gave: start again without it"}
	case errors.Is(err, store.ErrBadQuery):
		return &Error{Status: http.StatusBadRequest, Detail: describe(err)}
	case errors.Is(err, store.ErrQuerySyntax):
		return &Error{Status: http.StatusBadRequest, Detail: "the search query cannot be read"}
	case errors.Is(err, store.ErrReadOnly):
		return &Error{Status: http.StatusServiceUnavailable, Detail: "the database is read-only: this server cannot store anything"}
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusServiceUnavailable, Detail: "the request took too long"}
	case errors.Is(err, context.Canceled):
		return &Error{Status: http.StatusServiceUnavailable, Detail: "the request was cancelled (the server is shutting down)"}
	}
	return &Error{Status: http.StatusInternalServerError, Detail: "the database failed to answer; the failure is logged", err: err}
}

// writeJSON writes v with status code.
func writeJSON(w http.ResponseWriter, code int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// readJSON decodes a JSON request body into v, strictly.
func readJSON(r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		// A JSON content type also keeps browsers from posting here
		// from another site without a CORS preflight.
		return &Error{Status: http.StatusUnsupportedMediaType, Detail: "send the body as application/json"}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("the body is not the JSON object this endpoint takes: %v", err)
	}
	if dec.More() {
		return badRequest("the body holds more than one JSON value")
	}
	return nil
}
