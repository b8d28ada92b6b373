package api

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// OpenAPI returns the OpenAPI 3.1 document of the API, generated from the
// route table (Routes) and, by reflection, from the Go types of the
// request and response bodies: every registered route is in it, and only
// those.
func OpenAPI() map[string]any {
	g := &schemas{defs: map[string]any{}, types: map[string]reflect.Type{}}
	problem := map[string]any{
		"description": "a problem document (RFC 9457)",
		"content": map[string]any{"application/problem+json": map[string]any{
			"schema": g.schema(reflect.TypeFor[Problem]()),
		}},
	}
	paths := map[string]any{}
	for _, rt := range Routes() {
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		op := map[string]any{"operationId": rt.ID, "summary": rt.Summary}
		var ps []any
		for _, name := range PathParamNames(rt.Path) {
			ps = append(ps, map[string]any{"name": name, "in": "path", "required": true,
				"description": PathParams[name], "schema": map[string]any{"type": "string"}})
		}
		for _, p := range rt.Params {
			s := map[string]any{"type": p.Type}
			if len(p.Enum) > 0 {
				s["enum"] = p.Enum
			}
			ps = append(ps, map[string]any{"name": p.Name, "in": "query", "required": p.Required, "description": p.Desc, "schema": s})
		}
		if len(ps) > 0 {
			op["parameters"] = ps
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Body))},
			}}
		}
		responses := map[string]any{"default": problem}
		for _, code := range rt.Status {
			resp := map[string]any{"description": http.StatusText(code)}
			switch {
			case rt.RespType != "":
				str := map[string]any{"schema": map[string]any{"type": "string"}}
				resp["content"] = map[string]any{"text/html": str, "text/plain": str}
			case rt.Resp != nil:
				resp["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Resp))}}
			}
			responses[strconv.Itoa(code)] = resp
		}
		op["responses"] = responses
		if rt.Write {
			op["security"] = []any{map[string]any{"bearer": []any{}}}
		}
		item[strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "newsdesk API",
			"version":     "1",
			"description": "Clean, de-duplicated, searchable news: articles, search, stories, copies, entities, coverage and followed feeds. Errors are RFC 9457 problem documents. Writes need 'Authorization: Bearer TOKEN' when the server has a token.",
		},
		"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
		"paths":             paths,
		"components": map[string]any{
			"schemas": g.defs,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "the server's API token (--token, NEWSDESK_TOKEN)"},
			},
		},
	}
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// PathParamNames lists the {name} parameters of a route path.
func PathParamNames(path string) []string {
	var out []string
	for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// schemas derives JSON Schemas (2020-12, as OpenAPI 3.1 takes them) from Go
// types as encoding/json writes them.
type schemas struct {
	defs  map[string]any
	types map[string]reflect.Type
}

var timeType = reflect.TypeFor[time.Time]()

func (g *schemas) schema(t reflect.Type) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return map[string]any{"anyOf": []any{g.schema(t.Elem()), map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "contentEncoding": "base64"}
		}
		// encoding/json writes a nil slice as null.
		return map[string]any{"type": []any{"array", "null"}, "items": g.schema(t.Elem())}
	case reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		if t.Elem().Kind() == reflect.Interface {
			return map[string]any{"type": "object"}
		}
		return map[string]any{"type": []any{"object", "null"}, "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := t.Name()
		if name == "" {
			return g.object(t)
		}
		if prev, ok := g.types[name]; ok {
			if prev != t {
				panic(fmt.Sprintf("api: two schema types named %s: %s and %s", name, prev.PkgPath(), t.PkgPath()))
			}
		} else {
			g.types[name] = t
			g.defs[name] = map[string]any{} // a placeholder for recursive types
			g.defs[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	panic(fmt.Sprintf("api: no JSON schema for %s", t))
}

// object is the schema of a struct's fields.
func (g *schemas) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, props, &required)
	sort.Strings(required)
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (g *schemas) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			g.fields(f.Type, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		s := g.schema(f.Type)
		if f.Type.Kind() == reflect.Pointer && omit {
			s = g.schema(f.Type.Elem()) // nil is left out, never null
		}
		props[name] = s
		if !omit {
			*required = append(*required, name)
		}
	}
}
