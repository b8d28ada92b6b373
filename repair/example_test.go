package repair_test

import (
	"fmt"

	"github.com/newsdesk/newsdesk/repair"
)

func Example() {
	raw := []byte(`Lighthouse keeper retires after forty years

Advertisement

Ansel Moor climbed the 112 steps of the Skerra light for the last time on Sunday.

Ansel Moor climbed the 112 steps of the Skerra light for the last time on Sunday.

Want more stories like this from the Island Gazette? Hit the follow button above.
`)
	a, err := repair.Text(raw, repair.Options{Name: "story.txt"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Title)
	fmt.Println(a.Paragraphs)
	fmt.Println(a.Source.Name)
	for _, r := range a.Removed {
		fmt.Println(r.Index, r.Reason)
	}
	// Output:
	// Lighthouse keeper retires after forty years
	// [Ansel Moor climbed the 112 steps of the Skerra light for the last time on Sunday.]
	// Island Gazette
	// 1 boilerplate:ad
	// 3 duplicate
	// 4 boilerplate:cta
}

func ExampleClean() {
	kept, removed := repair.Clean([]string{
		"The ferry will run twice a day from March.",
		"Read more: Island school wins national quiz",
		"The ferry will run twice a day from March.",
	}, repair.Options{})
	fmt.Println(kept)
	fmt.Println(len(removed), removed[0].Reason, removed[1].Reason)
	// Output:
	// [The ferry will run twice a day from March.]
	// 2 boilerplate:related duplicate
}
