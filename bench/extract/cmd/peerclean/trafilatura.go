//go:build !notrafilatura

package main

import (
	"bytes"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

func init() {
	extractors["go-trafilatura"] = func(raw []byte) (string, string, error) {
		r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{})
		if err != nil {
			return "", "", err
		}
		return r.Metadata.Title, r.ContentText, nil
	}
	extractors["go-trafilatura+fallback"] = func(raw []byte) (string, string, error) {
		r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{EnableFallback: true})
		if err != nil {
			return "", "", err
		}
		return r.Metadata.Title, r.ContentText, nil
	}
}
