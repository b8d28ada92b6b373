package main
import (
 _ "modernc.org/sqlite"
 _ "golang.org/x/net/html"
 _ "golang.org/x/net/html/charset"
 _ "golang.org/x/text/unicode/norm"
 _ "golang.org/x/term"
)
func main(){}
