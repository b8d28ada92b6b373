package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// validator checks real responses against the OpenAPI document: it finds
// the documented operation of a request, and validates the body against
// the schema documented for the response's status and media type.
type validator struct {
	doc     map[string]any
	mux     *http.ServeMux
	c       *jsonschema.Compiler
	mu      sync.Mutex
	schemas map[string]*jsonschema.Schema
}

const docURL = "mem:///openapi.json"

func newValidator(t *testing.T, raw []byte) *validator {
	t.Helper()
	v := &validator{mux: http.NewServeMux(), c: jsonschema.NewCompiler(), schemas: map[string]*jsonschema.Schema{}}
	if err := json.Unmarshal(raw, &v.doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	v.c.DefaultDraft(jsonschema.Draft2020)
	v.c.AssertFormat()
	if err := v.c.AddResource(docURL, inst); err != nil {
		t.Fatal(err)
	}
	for path, item := range v.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			v.mux.HandleFunc(strings.ToUpper(method)+" "+path, func(http.ResponseWriter, *http.Request) {})
		}
	}
	return v
}

func ptrEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// operation returns the documented "METHOD path" of a request, or "".
func (v *validator) operation(r *http.Request) string {
	_, pattern := v.mux.Handler(r)
	return pattern
}

// check validates resp (whose body is body) against the document, and
// returns the operation it answered.
func (v *validator) check(req *http.Request, resp *http.Response, body []byte) (string, error) {
	op := v.operation(req)
	if op == "" {
		if resp.StatusCode < 400 {
			return "", fmt.Errorf("%s %s is not in the OpenAPI document", req.Method, req.URL.Path)
		}
		return "", v.validate(docURL+"#/components/schemas/Problem", body)
	}
	method, path, _ := strings.Cut(op, " ")
	method = strings.ToLower(method)
	responses := v.doc["paths"].(map[string]any)[path].(map[string]any)[method].(map[string]any)["responses"].(map[string]any)
	code := strconv.Itoa(resp.StatusCode)
	r, ok := responses[code].(map[string]any)
	if !ok {
		code = "default"
		r = responses[code].(map[string]any)
		if resp.StatusCode < 400 {
			return op, fmt.Errorf("%s: status %d is not documented", op, resp.StatusCode)
		}
	}
	content, _ := r["content"].(map[string]any)
	if content == nil {
		if len(body) != 0 {
			return op, fmt.Errorf("%s: %d has no documented body, got %q", op, resp.StatusCode, body)
		}
		return op, nil
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if _, ok := content[mt]; !ok {
		return op, fmt.Errorf("%s: %d: media type %q is not documented", op, resp.StatusCode, mt)
	}
	loc := docURL + "#/paths/" + ptrEscape(path) + "/" + method + "/responses/" + code + "/content/" + ptrEscape(mt) + "/schema"
	v.mu.Lock()
	sch, ok := v.schemas[loc]
	if !ok {
		var err error
		if sch, err = v.c.Compile(loc); err != nil {
			v.mu.Unlock()
			return op, fmt.Errorf("%s: compiling %s: %v", op, loc, err)
		}
		v.schemas[loc] = sch
	}
	v.mu.Unlock()
	var inst any
	if strings.HasSuffix(mt, "json") {
		var err error
		if inst, err = jsonschema.UnmarshalJSON(bytes.NewReader(body)); err != nil {
			return op, fmt.Errorf("%s: the body is not JSON: %v", op, err)
		}
	} else {
		inst = string(body)
	}
	if err := sch.Validate(inst); err != nil {
		return op, fmt.Errorf("%s: %d: the body does not match the document: %v", op, resp.StatusCode, err)
	}
	return op, nil
}

func (v *validator) validate(loc string, body []byte) error {
	v.mu.Lock()
	sch, ok := v.schemas[loc]
	if !ok {
		var err error
		if sch, err = v.c.Compile(loc); err != nil {
			v.mu.Unlock()
			return err
		}
		v.schemas[loc] = sch
	}
	v.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}
