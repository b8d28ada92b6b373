package charset

// The letter model of the single-byte code pages.
//
// Every candidate code page is ASCII in its low half, so the bytes
// 0x80-0xFF are what tells them apart. A high byte decoded by a candidate
// scores the log2 probability of that character in running text of a
// language the candidate serves, and the candidate takes the best of its
// languages. The figures are not measured
// on a corpus: they are coarse shares of each letter among all letters, as
// they are known from the spelling of each language (for example, that
// Czech writes í, á and ě about as often as an ordinary consonant, that ő
// is frequent in Hungarian and ű much less, that Bulgarian uses ъ as a
// vowel and has no ы, that ı is one of the most frequent Turkish letters).
// Each letter is put in one of six bands, and a band stands for its middle
// share:
//
//	band   share of letters   score (bits)
//	T1     ≥ 4 %              -4
//	T2     1.5–4 %            -5.3
//	T3     0.5–1.5 %          -6.7
//	T4     0.15–0.5 %         -8.3
//	T5     0.05–0.15 %        -10
//	T6     rarer, but native  -12
//
// A letter of the right script that the language does not use scores
// foreignBits, a letter of another script otherScriptBits, and a capital
// letter upperBits less than its small letter (capitals are a few per
// cent of letters). Punctuation and symbols score by how often news text
// uses them (curly quotes and dashes often, ± and ¤ almost never), and a
// control character or an undefined byte scores badBits: real text has
// none.
//
// The ASCII letters tell which language a Latin-script text is in, and so
// which of its accented letters to expect: a French text read as
// windows-1250 turns "è" into "č", a letter Czech uses often, but the
// ASCII around it ("médiatčque") is French, not Czech. Each Latin language
// therefore also ranks the 26 ASCII letters by frequency (from general
// knowledge of the language: Czech and Polish hardly use q, w or x,
// French hardly k or w, and so on), a rank scores rankBits, and a
// language's ASCII score counts relative to the language that fits the
// sample's ASCII letters best. Non-Latin candidates do not score ASCII
// letters; they pay a prior instead when most letters are ASCII (see
// asciiPriorMax).
//
// The bands are deliberately coarse: the model has to separate code pages,
// whose wrong readings turn frequent letters into rare letters, symbols,
// letters of another script or control characters, not to identify the
// language.
const (
	foreignBits     = -15
	otherScriptBits = -18
	upperBits       = -3
	badBits         = -25

	commonPunctBits = -8.5 // “ ” ‘ ’ „ – — … « » NBSP • ·
	otherPunctBits  = -11  // € £ © ® ° § ¶ ™ × ¡ ¿ ‹ › ‚ № ´ ª º ½ ¹ ² ³, soft hyphen
	rareSymbolBits  = -14  // everything else: ¤ ¦ ¨ ¯ ± box drawing …
)

// A text that is overwhelmingly ASCII Latin is hardly in a Cyrillic, Greek,
// Hebrew, Arabic or CJK encoding, whatever its few high bytes make in
// one: "à" alone is no Russian "а", "¶¶" in a law report no Korean
// syllable. Such candidates, unless declared, pay asciiPriorPerLetter for
// every ASCII letter, up to asciiPriorMax bits, which real text in them
// makes up for within a few words.
const (
	asciiPriorPerLetter = 0.05
	asciiPriorMax       = 32 // Cyrillic, Greek, Hebrew, Arabic
	asciiPriorMaxCJK    = 12 // CJK readings are checked by their validity too
)

// A reading in a non-Latin script (or a CJK reading) whose letters mostly
// stand alone, between spaces, digits or punctuation, has no words in
// that script: NBSP, £ and § of an English page read as IBM866 are
// isolated Cyrillic letters ("а", "г", "з"). Real text has few one-letter
// words: beyond isolatedShare of its letters, each isolated letter costs
// isolatedBits.
//
// Real text also uses many different letters: a reading with fewer than a
// third of its letter count in distinct letters (at most minDistinct are
// asked for) is runs of one letter ("ааа", "ззззз" from NBSP and §), and
// all its letters count as isolated.
const (
	isolatedShare = 0.2
	isolatedBits  = -6
	minDistinct   = 8
)

var tierBits = [6]float64{-4, -5.3, -6.7, -8.3, -10, -12}

// rankBits scores an ASCII letter by its frequency rank in a language: the
// log2 of a typical share of the letter at that rank, from about 12 % for
// the most frequent letter down to well under 0.1 % for the letters a
// language only meets in foreign names.
var rankBits = [26]float64{
	-3.0, -3.3, -3.5, -3.7, -3.8, -3.9, -4.0, -4.2, -4.4, -4.6,
	-4.8, -5.0, -5.2, -5.4, -5.6, -5.8, -6.0, -6.3, -6.6, -7.0,
	-7.5, -8.0, -8.7, -9.5, -10.5, -11.5,
}

type script uint8

const (
	scriptNone script = iota // not a letter
	scriptLatin
	scriptCyrillic
	scriptGreek
	scriptHebrew
	scriptArabic
	scriptOther
)

// A language lists its non-ASCII letters (small letters, plus marks for
// Hebrew and Arabic) by band, T1 first. A flat language scores every
// letter of its script T3: it stands in for a script the model has no
// language for.
type language struct {
	name   string
	script script
	tiers  [6]string
	flat   bool
	ascii  string // Latin script: the 26 ASCII letters, most frequent first
}

// Languages written in Latin script with the Western code pages
// (windows-1252, macintosh). English borrows its few accented letters.
var (
	langEN = &language{name: "en", script: scriptLatin, tiers: [6]string{4: "éè", 5: "àçêëïüöäñáíóúâîôûåæøý"}, ascii: "etaoinshrdlcumwfgypbvkjxqz"}
	langFR = &language{name: "fr", script: scriptLatin, tiers: [6]string{"", "é", "à", "èêç", "ùûâîô", "ëïœÿæü"}, ascii: "esaitnrulodcmpvqfbghjxyzwk"}
	langDE = &language{name: "de", script: scriptLatin, tiers: [6]string{"", "", "äü", "öß", "", "éèàç"}, ascii: "enisratdhulcgmobwfkzpvjyxq"}
	langES = &language{name: "es", script: scriptLatin, tiers: [6]string{"", "", "óíá", "éñú", "", "ü"}, ascii: "eaosrnidlctumpbgvyqhfzjxwk"}
	langPT = &language{name: "pt", script: scriptLatin, tiers: [6]string{"", "", "ãçá", "éêóâíõú", "ôà", "ü"}, ascii: "aeosridmntcuplvgqbfhzjxkwy"}
	langIT = &language{name: "it", script: scriptLatin, tiers: [6]string{"", "", "à", "è", "ùòìé", "íóúî"}, ascii: "eaionltrscdupmvgzfbhqkjxwy"}
	langNL = &language{name: "nl", script: scriptLatin, tiers: [6]string{4: "ëé", 5: "èïöüáó"}, ascii: "enatirodslgvhkmubpwjczfxyq"}
	langSV = &language{name: "sv", script: scriptLatin, tiers: [6]string{"", "ä", "åö", "", "", "éü"}, ascii: "eantrsildomkgvhfupbcjyxwzq"}
	langDA = &language{name: "da", script: scriptLatin, tiers: [6]string{"", "", "æøå", "", "", "éöäü"}, ascii: "erntisdlagokmvfubphjycwzxq"}
	langFI = &language{name: "fi", script: scriptLatin, tiers: [6]string{"", "ä", "", "ö", "", "åšž"}, ascii: "aitneslokumvrjhypdgbfcwxzq"}
	langIS = &language{name: "is", script: scriptLatin, tiers: [6]string{"", "ðáí", "þóýæéúö", "", "", ""}, ascii: "anriestulgmkfdhvobjpyxcwzq"}
	langCA = &language{name: "ca", script: scriptLatin, tiers: [6]string{"", "", "à", "èéíòóç", "ïú", "ü"}, ascii: "eastrinlocdumpgvbqfhxjyzkw"}
)

// Languages of the Central European code pages (windows-1250,
// ISO-8859-2); German is written in them too.
var (
	langCS = &language{name: "cs", script: scriptLatin, tiers: [6]string{"", "íáě", "éřýčžš", "ů", "úň", "ťďó"}, ascii: "oenatvsilkrdpumcyzjhbgfxwq"}
	langSK = &language{name: "sk", script: scriptLatin, tiers: [6]string{"", "áí", "ýčéšúž", "ďľťô", "ňó", "äĺŕ"}, ascii: "oaeinrvtslkdmpujczhybgfxwq"}
	langPL = &language{name: "pl", script: scriptLatin, tiers: [6]string{"", "ł", "ęąóżś", "ćń", "ź", ""}, ascii: "aioeznrwsctykdpmujlbghfvxq"}
	langHU = &language{name: "hu", script: scriptLatin, tiers: [6]string{"", "éá", "óöő", "íüú", "ű", ""}, ascii: "eatlsnkomrizgdvbhjyupfcwxq"}
	langHR = &language{name: "hr", script: scriptLatin, tiers: [6]string{"", "", "čšž", "ć", "đ", ""}, ascii: "aioensrjtuvkldmpzgbchfqwxy"}
	langRO = &language{name: "ro", script: scriptLatin, tiers: [6]string{"", "ăş", "ţîâ", "", "", ""}, ascii: "eiarntuclsomdpfvbgzhjkxywq"}
)

// English quoting Central European and Turkish names ("Jelić", "Gdańsk",
// "Erdoğan"). ć, of the many South Slavic surnames in -ić, is the one
// English news meets most; è (crème, première) outranks č in English.
var (
	langENCentral = &language{name: "en", script: scriptLatin, tiers: [6]string{4: "éć", 5: "áíóúöüäčšžřěůłńśźżąęőűďťňýľô"}, ascii: langEN.ascii}
	langENTurkish = &language{name: "en", script: scriptLatin, tiers: [6]string{4: "é", 5: "çğışöüâî"}, ascii: langEN.ascii}
)

// Turkish (windows-1254). Its capital dotted İ is the capital of ASCII i
// and is handled apart.
var langTR = &language{name: "tr", script: scriptLatin, tiers: [6]string{"ı", "üş", "çğö", "", "", "âîû"}, ascii: "aeinrlkdmyustobzghvpcfjwqx"}

// Cyrillic: Russian, Ukrainian, Bulgarian, and Serbian with Macedonian.
var (
	langRU = &language{name: "ru", script: scriptCyrillic, tiers: [6]string{"оеаинт", "срвлкмдпуя", "ыьгзбчйхж", "шюцщэф", "", "ъё"}}
	langUK = &language{name: "uk", script: scriptCyrillic, tiers: [6]string{"оані", "ивтерсклудмп", "язьбгчхжй", "цшюїєф", "щ", "ґ"}}
	langBG = &language{name: "bg", script: scriptCyrillic, tiers: [6]string{"аоиент", "рсвлкдпмзъя", "угбчжйцш", "щхфю", "", "ь"}}
	langSR = &language{name: "sr", script: scriptCyrillic, tiers: [6]string{"аиоен", "рстјувкдлпм", "згбшчћцњж", "хљ", "ђџф", "ѓќѕ"}}
)

// Greek, with its accented vowels.
var langEL = &language{name: "el", script: scriptGreek, tiers: [6]string{"αοιετν", "σηυρπκμλςάίέό", "ωδγήχθύώ", "φβξζ", "ψ", "ϊϋΐΰ"}}

// Hebrew: the letters, final forms included; the points (niqqud) are
// rare in news text.
var langHE = &language{name: "he", script: scriptHebrew, tiers: [6]string{"יוהלמא", "רבתשנעדכח", "קםןפסגזטצ", "ךף", "ץ", "\u05b0\u05b4\u05b7\u05b8\u05b9\u05bc"}}

// Arabic and Persian (windows-1256), with the vowel marks as rare.
var (
	langAR = &language{name: "ar", script: scriptArabic, tiers: [6]string{"اليمون", "رتبعهدفقسكةحجأ", "ىشصطخإزذضث", "غظآءئؤ", "", "\u064b\u064e\u064f\u0650\u0651\u0652"}}
	langFA = &language{name: "fa", script: scriptArabic, tiers: [6]string{"ایرد", "نمويهتبسكکشزلگ", "فخعقجحپچآصط", "غضذثظژئأ", "ة", "\u064b\u0651"}}
)

// asciiBits returns the score of each ASCII letter, a to z, in l.
func (l *language) asciiBits() (b [26]float64) {
	for rank, c := range l.ascii {
		b[c-'a'] = rankBits[rank]
	}
	return b
}

var (
	western  = []*language{langEN, langFR, langDE, langES, langPT, langIT, langNL, langSV, langDA, langFI, langIS, langCA}
	central  = []*language{langCS, langSK, langPL, langHU, langHR, langRO, langENCentral, langDE}
	cyrillic = []*language{langRU, langUK, langBG, langSR}
	russian  = []*language{langRU, langBG}

	// latinLangs are the languages with ASCII ranks, and their scores.
	latinLangs = []*language{langEN, langFR, langDE, langES, langPT, langIT, langNL, langSV, langDA, langFI, langIS, langCA,
		langCS, langSK, langPL, langHU, langHR, langRO, langTR, langENCentral, langENTurkish}
	latinASCII = func() map[*language][26]float64 {
		m := map[*language][26]float64{}
		for _, l := range latinLangs {
			m[l] = l.asciiBits()
		}
		return m
	}()
)

// Common characters of the CJK languages, written down for this package:
// particles, pronouns and the most frequent words of news text (and the
// characters of dates). Chinese text spends about a fifth of its
// characters on them, Korean about two fifths on these syllables (case
// particles and verb endings); a wrong code page hits them only by chance.
const (
	commonHans = "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会也对年生能后发于与将日月等新其已经被还"
	commonHant = "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會也對年生能後發於與將日月等新其已經被還"
	commonKo   = "이의다는에을를하고가한로지서기도사으리들해대자은수인정어일있게나국시부적전과주아성상장라보우원제동면화했것며내위년월까만"
)
