//go:build !noreadability

package main

import (
	"bytes"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
)

func init() {
	extractors["go-readability"] = func(raw []byte) (string, string, error) {
		a, err := readability.FromReader(bytes.NewReader(raw), nil)
		if err != nil {
			return "", "", err
		}
		var b strings.Builder
		if err := a.RenderText(&b); err != nil {
			return "", "", err
		}
		return a.Title(), b.String(), nil
	}
}
