// Package storetest holds the conformance suite of the store contract and
// deterministic synthetic news for the store's and the pipeline's tests and
// benchmarks.
//
// # Conformance suite
//
// Every store.Store implementation runs Run from a test of its own package,
// with an opener that returns a fresh, empty store and registers its own
// cleanup:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s, err := Open(context.Background(), dsnForAFreshDatabase(t))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Run checks, as subtests that each open their own store, what the
// documentation of store.Store promises: Put's results and versions, Get
// with id prefixes, raw inputs, the search language of internal/query with
// filters, snippets and the folding of copies, Each's order, Stats, the
// dedup and story state, PutBatch (CheckPutBatch), Check on a sound store,
// concurrent use, and store.Newsroom (CheckNewsroom) when the store has it.
// Scores are not compared across stores, only the order they give.
//
// RunUndocumented checks what the SQLite store does beyond those documents
// (diacritic folding, CJK words, Get by URL, ...). Users see it, so another
// store should run it too; a check moves into Run once the interface
// documents it.
//
// Implementation-specific checks (files, schema migrations, the engine's
// query compiler) stay in the implementation's package.
//
// # Synthetic news
//
// Gen generates English-like text over a pseudo-word vocabulary with a Zipf
// word distribution, so that term frequencies, index sizes and query costs
// resemble real news.
package storetest
