//go:build !noreadability

package main

import (
	"bytes"
	"net/url"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
)

func init() {
	tools["go-readability"] = func(raw []byte, pageURL string) (string, error) {
		u, _ := url.Parse(pageURL)
		a, err := readability.FromReader(bytes.NewReader(raw), u)
		if err != nil {
			return "", err
		}
		var b strings.Builder
		if err := a.RenderText(&b); err != nil {
			return "", err
		}
		return b.String(), nil
	}
}
