package dedup_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/newsdesk/newsdesk/dedup"
)

func Example() {
	ctx := context.Background()
	original := strings.Join([]string{
		"Engineers closed the Kestrel Bridge in Marrowby on Tuesday after inspectors found cracks spreading through two of its steel support piers.",
		"The county transport office said the crossing, which carries about eighteen thousand vehicles a day, would stay shut for at least three weeks.",
		"A temporary ferry service between the harbour steps and the old grain wharf will begin running on Thursday morning.",
		"A full structural report is expected by the end of the month, after which the council will decide whether the bridge can be repaired.",
	}, "\n\n")
	// A syndicated copy: another outlet's byline and footer, curly quotes,
	// upper-cased words, a doubled paragraph, and the last paragraph cut.
	copied := "By Staff Reporter for Valley Courier\n\n" +
		strings.ReplaceAll(original[:strings.LastIndex(original, "\n\n")], "Kestrel Bridge", "KESTREL BRIDGE") +
		"\n\nA temporary ferry service between the harbour steps and the old grain wharf will begin running on Thursday morning." +
		"\n\nRead more from Valley Courier"
	other := "Fourteen-year-old Ilse Varga won the Northmoor open chess championship on Sunday, beating three grandmasters on her way to the title."

	d := dedup.NewDetector(dedup.NewMemStore(), dedup.Config{})
	for _, doc := range []struct{ id, text string }{{"wire", original}, {"courier", copied}, {"chess", other}} {
		r, err := d.AddText(ctx, doc.id, doc.text)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: group %s, representative %s\n", doc.id, r.Group, r.Representative)
	}

	c := dedup.NewClusterer(dedup.StoryConfig{})
	a := c.Add(dedup.StoryDoc{ID: "wire", Title: "Kestrel Bridge closed after cracks found", Text: original})
	b := c.Add(dedup.StoryDoc{ID: "ferry", Title: "Ferry to run while Kestrel Bridge is shut",
		Text: "Marrowby council will run a ferry from the harbour steps to the grain wharf while engineers inspect the cracked Kestrel Bridge piers."})
	fmt.Println("same story:", a.Story == b.Story)
	// Output:
	// wire: group wire, representative wire
	// courier: group wire, representative wire
	// chess: group chess, representative chess
	// same story: true
}
