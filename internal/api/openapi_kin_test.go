package api

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIDocumentValid loads the document with kin-openapi and
// validates it as an OpenAPI 3.1 document.
func TestOpenAPIDocumentValid(t *testing.T) {
	raw, err := json.Marshal(OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("not 3.1: %s", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Error(err)
	}
	// The check bites: a path parameter left undocumented is an error.
	bad := OpenAPI()
	op := bad["paths"].(map[string]any)[Prefix+"/articles/{id}"].(map[string]any)["get"].(map[string]any)
	op["parameters"] = op["parameters"].([]any)[1:]
	raw, _ = json.Marshal(bad)
	if bdoc, err := openapi3.NewLoader().LoadFromData(raw); err == nil && bdoc.Validate(context.Background()) == nil {
		t.Error("a document without its path parameter validates")
	}
	if n := len(doc.Paths.Map()); n != len(pathsOf(Routes())) {
		t.Errorf("%d paths, want %d", n, len(pathsOf(Routes())))
	}
}

func pathsOf(rs []Route) map[string]bool {
	m := map[string]bool{}
	for _, r := range rs {
		m[r.Path] = true
	}
	return m
}
