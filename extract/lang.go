package extract

import "github.com/newsdesk/newsdesk/internal/langid"

// detectLanguage guesses the language of the body when the page does not say.
func detectLanguage(paras []string) string { return langid.Detect(paras) }
