package postgres

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgtype"
)

// Parsing text into words is most of what to_tsvector costs the server,
// and PutBatch's transaction is one server process, so the tsvectors are
// built here instead, from the words text.go already split. Only the
// stemming stays the server's: each word not seen before is sent once to
// to_tsvector alone, and the lexeme it makes is cached. A word is
// "regular" when it makes exactly one lexeme at position 1; since the
// index text is words separated by single spaces, which always end a
// token, a regular word makes that same lexeme wherever it stands, and
// each word of a text takes the next position. An article with any other
// word, or past the limits where to_tsvector starts capping positions,
// is left to the server's to_tsvector. Check compares every stored
// tsvector with the server's own.

// maxLexicon bounds the cached words; past it the cache starts again.
const maxLexicon = 200_000

// Past these, to_tsvector caps positions (MAXENTRYPOS, MAXNUMPOS in
// PostgreSQL): such articles are left to it.
const (
	maxBuiltPositions = 16000
	maxBuiltPerLexeme = 250
)

// irregular marks a cached word that does not make exactly one lexeme.
const irregular = "\x00"

// lexicon caches the lexeme each word makes, by text search configuration.
type lexicon struct {
	mu     sync.RWMutex
	byConf map[string]map[string]string
	n      int
}

func (l *lexicon) lookup(config, word string) (string, bool) {
	lex, ok := l.byConf[config][word]
	return lex, ok
}

// missing returns the (config, word) pairs of rows not cached, each once.
func (l *lexicon) missing(rows []*indexRow) (confs, words []string) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	seen := map[string]map[string]bool{}
	for _, r := range rows {
		fields(r, func(_ byte, w string) {
			if _, ok := l.lookup(r.config, w); ok || seen[r.config][w] {
				return
			}
			if seen[r.config] == nil {
				seen[r.config] = map[string]bool{}
			}
			seen[r.config][w] = true
			confs, words = append(confs, r.config), append(words, w)
		})
	}
	return confs, words
}

// learn asks the server for the lexemes of words, each of confs[i].
func (l *lexicon) learn(ctx context.Context, q querier, confs, words []string) error {
	if len(words) == 0 {
		return nil
	}
	rows, err := q.Query(ctx, `SELECT u.c, u.w, to_tsvector(u.c::regconfig, u.w)
		FROM unnest($1::text[], $2::text[]) AS u(c, w)`, confs, words)
	if err != nil {
		return err
	}
	defer rows.Close()
	type learnt struct{ conf, word, lexeme string }
	var got []learnt
	for rows.Next() {
		var x learnt
		var v pgtype.TSVector
		if err := rows.Scan(&x.conf, &x.word, &v); err != nil {
			return err
		}
		x.lexeme = irregular
		if len(v.Lexemes) == 1 && len(v.Lexemes[0].Positions) == 1 && v.Lexemes[0].Positions[0].Position == 1 {
			x.lexeme = v.Lexemes[0].Word
		}
		got = append(got, x)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byConf == nil || l.n+len(got) > maxLexicon {
		l.byConf, l.n = map[string]map[string]string{}, 0
	}
	for _, x := range got {
		m := l.byConf[x.conf]
		if m == nil {
			m = map[string]string{}
			l.byConf[x.conf] = m
		}
		if _, ok := m[x.word]; !ok {
			m[x.word] = x.lexeme
			l.n++
		}
	}
	return nil
}

// fields calls fn with each word of r's index text in order, with the
// weight of its field.
func fields(r *indexRow, fn func(weight byte, word string)) {
	for _, f := range [...]struct {
		weight byte
		text   string
	}{{weightTitle[0], r.title}, {weightAuthors[0], r.authors}, {weightBody[0], r.body}} {
		for w := range strings.SplitSeq(f.text, " ") {
			if w != "" {
				fn(f.weight, w)
			}
		}
	}
}

// build returns r's tsvector as tsvectorSQL would compute it, or false
// when it must be left to the server. The words must have been learnt.
func (l *lexicon) build(r *indexRow) (pgtype.TSVector, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	at := map[string]int{} // lexeme -> index in lexemes
	var lexemes []pgtype.TSVectorLexeme
	pos := 0
	ok := true
	fields(r, func(weight byte, w string) {
		if !ok {
			return
		}
		lex, known := l.lookup(r.config, w)
		pos++
		if !known || lex == irregular || pos > maxBuiltPositions {
			ok = false
			return
		}
		i, seen := at[lex]
		if !seen {
			i = len(lexemes)
			at[lex] = i
			lexemes = append(lexemes, pgtype.TSVectorLexeme{Word: lex})
		}
		if len(lexemes[i].Positions) == maxBuiltPerLexeme {
			ok = false
			return
		}
		lexemes[i].Positions = append(lexemes[i].Positions,
			pgtype.TSVectorPosition{Position: uint16(pos), Weight: pgtype.TSVectorWeight(weight)})
	})
	if !ok {
		return pgtype.TSVector{}, false
	}
	// PostgreSQL keeps lexemes in bytewise order.
	slices.SortFunc(lexemes, func(a, b pgtype.TSVectorLexeme) int { return strings.Compare(a.Word, b.Word) })
	return pgtype.TSVector{Lexemes: lexemes, Valid: true}, true
}
