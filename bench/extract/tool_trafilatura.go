//go:build !notrafilatura

package main

import (
	"bytes"
	"net/url"

	trafilatura "github.com/markusmobius/go-trafilatura"
)

func init() {
	tools["go-trafilatura"] = func(raw []byte, pageURL string) (string, error) {
		u, _ := url.Parse(pageURL)
		r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{OriginalURL: u})
		if err != nil {
			return "", err
		}
		lastTree = r.ContentNode
		return r.ContentText, nil
	}
	tools["go-trafilatura+fallback"] = func(raw []byte, pageURL string) (string, error) {
		u, _ := url.Parse(pageURL)
		r, err := trafilatura.Extract(bytes.NewReader(raw), trafilatura.Options{OriginalURL: u, EnableFallback: true})
		if err != nil {
			return "", err
		}
		lastTree = r.ContentNode
		return r.ContentText, nil
	}
}
