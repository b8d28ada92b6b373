// Package httppin runs an HTTP handler's store reads on one pinned
// connection (see store.Pinner), and gives the connection back as soon as
// the response starts: a client that reads its response slowly must not
// hold one of the store's few read connections.
package httppin

import (
	"net/http"

	"github.com/newsdesk/newsdesk/internal/store"
)

// Serve calls next with r's reads through st pinned to one connection,
// released at next's first write to w or when next returns.
func Serve(st any, w http.ResponseWriter, r *http.Request, next func(http.ResponseWriter, *http.Request)) {
	ctx, release := store.Pin(r.Context(), st)
	defer release()
	next(&releasingWriter{ResponseWriter: w, release: release}, r.WithContext(ctx))
}

// releasingWriter releases the pin at the response's first byte.
type releasingWriter struct {
	http.ResponseWriter
	release func()
}

func (w *releasingWriter) WriteHeader(code int) {
	w.release()
	w.ResponseWriter.WriteHeader(code)
}

func (w *releasingWriter) Write(b []byte) (int, error) {
	w.release()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *releasingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
