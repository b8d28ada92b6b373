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

// build returns r's tsvector as tsvectorSQL would compute it, or ok
// false when it must be left to the server or when words are not
// learnt yet (then listed in missing, each once).
func (l *lexicon) build(r *indexRow) (v pgtype.TSVector, missing []string, ok bool) {
	// Each distinct word once, with its positions in order.
	type slot struct {
		word      string
		positions []pgtype.TSVectorPosition
	}
	at := make(map[string]int, 512)
	var slots []slot
	pos := 0
	fields(r, func(weight byte, w string) {
		pos++
		i, seen := at[w]
		if !seen {
			i = len(slots)
			at[w] = i
			slots = append(slots, slot{word: w})
		}
		slots[i].positions = append(slots[i].positions, pgtype.TSVectorPosition{Position: uint16(min(pos, maxBuiltPositions+1)), Weight: pgtype.TSVectorWeight(weight)})
	})
	if pos > maxBuiltPositions {
		return v, nil, false
	}
	// Words to lexemes; words of one stem share their lexeme's positions.
	byLexeme := make(map[string]int, len(slots))
	var lexemes []pgtype.TSVectorLexeme
	merged := false
	l.mu.RLock()
	for _, sl := range slots {
		lex, known := l.lookup(r.config, sl.word)
		switch {
		case !known:
			missing = append(missing, sl.word)
			continue
		case lex == irregular:
			l.mu.RUnlock()
			return v, nil, false
		}
		if i, seen := byLexeme[lex]; seen {
			lexemes[i].Positions = append(lexemes[i].Positions, sl.positions...)
			merged = true
			continue
		}
		byLexeme[lex] = len(lexemes)
		lexemes = append(lexemes, pgtype.TSVectorLexeme{Word: lex, Positions: sl.positions})
	}
	l.mu.RUnlock()
	if len(missing) > 0 {
		return v, missing, false
	}
	for i := range lexemes {
		ps := lexemes[i].Positions
		if len(ps) > maxBuiltPerLexeme {
			return v, nil, false
		}
		if merged {
			slices.SortFunc(ps, func(a, b pgtype.TSVectorPosition) int { return int(a.Position) - int(b.Position) })
		}
	}
	// PostgreSQL keeps lexemes in bytewise order.
	slices.SortFunc(lexemes, func(a, b pgtype.TSVectorLexeme) int { return strings.Compare(a.Word, b.Word) })
	return pgtype.TSVector{Lexemes: lexemes, Valid: true}, nil, true
}
