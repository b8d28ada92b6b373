package extract

import "github.com/newsdesk/newsdesk/langid"

// detectLanguage guesses the language of the body when the page does not say.
func detectLanguage(paras []string) string { return langid.Detect(paras) }
