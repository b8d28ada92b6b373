package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdesk/newsdesk/article"
	"github.com/newsdesk/newsdesk/internal/store"
)

// Fictional news for the determinism test: several events, each covered by
// an original report, syndicated copies and excerpts of it, and reports of
// the same event written independently.
var (
	tramParas = []string{
		"The first trams on the new eastern line in Velmont carried more than six thousand passengers on Saturday, the city transport board said, after eleven years of planning and four of building.",
		"The line runs nine kilometres from the central station to the Orrin Hill estate, with fourteen stops, and cuts the journey across the river from forty minutes by bus to eighteen.",
		"Mayor Hedda Strand rode the first car from the depot at dawn and told passengers on the platform at Orrin Hill that the estate had waited far too long for a proper link.",
		"Shopkeepers on Canal Street, where the tracks were laid through two summers of road works, said trade had fallen by a third during the building and hoped the trams would bring customers back.",
		"The board said the line cost three hundred and ten million crowns, about a fifth more than planned, mostly because old water mains under the bridge approach had to be moved.",
		"Trams will run every six minutes at peak hours and every twelve minutes in the evening, and a night service on Fridays and Saturdays is to start in the spring.",
		"A second line, to the airport in the north, is due to be approved by the city council in the autumn, although the opposition wants the money spent on buses instead.",
	}
	tramOwn = []string{
		"Velmont's long awaited eastern tram opened to the public this weekend, and queues formed at the central station before the first departure shortly after six in the morning.",
		"Riders from Orrin Hill said the new service halved their commute, though several complained that the ticket machines at the smaller stops only took cards.",
		"The transport board admitted the project ran over budget and blamed the cost of moving water mains, and said it would publish a full account of the overrun next month.",
	}
	orchestraParas = []string{
		"Musicians of the Halvard Philharmonic walked out before Thursday's concert in a dispute over pay, leaving an audience of nine hundred in the hall as the lights dimmed and the stage stayed empty.",
		"The players' union said salaries had not risen in six seasons while ticket prices had gone up twice, and that younger players could no longer afford to live in the city.",
		"The orchestra's board said it had offered a rise of four percent over two years and called the walkout irresponsible, saying refunds would cost more than the rise itself.",
		"Conductor Ilse Brandvold, who learned of the strike an hour before the concert, told the audience from the podium that she hoped to see everyone back for the rescheduled date.",
		"Talks between the union and the board are to resume on Monday with a mediator from the regional arts council, and the weekend's two matinees have been cancelled.",
	}
	orchestraOwn = []string{
		"An evening of Sibelius at Halvard's concert hall never began on Thursday: the Philharmonic's musicians had walked out over pay an hour before the downbeat.",
		"Union representatives said six seasons without a rise had driven young players away, and that the board's offer of four percent over two years was far too little.",
		"A mediator from the regional arts council will chair new talks on Monday; the board has cancelled both weekend matinees and promised refunds to ticket holders.",
	}
	glacierParas = []string{
		"The Sornfjell glacier lost more ice this summer than in any year since measurements began in 1954, researchers from the Nordvik polar institute said on Tuesday after their autumn survey.",
		"The glacier's tongue retreated by one hundred and forty metres, and the surface near the old survey hut dropped by more than four metres since the same week last year.",
		"Glaciologist Maren Tuvesson said a warm June and almost no snow in the spring had left the dark ice exposed for weeks, so that it soaked up sunshine and melted faster.",
		"The meltwater lake at the foot of the glacier has doubled in size, and the county has closed the lower hiking trail while engineers check the moraine that holds the lake back.",
		"The institute will fly a drone over the glacier in October to map the crevasses, and plans to put two new weather stations on the ice before the winter.",
	}
	robotParas = []string{
		"A team of five pupils from the Kettleby secondary school won the national schools robotics contest on Sunday with a machine that sorts recycling by the sound objects make when dropped.",
		"The robot, built in the school's old woodwork room from parts of two broken washing machines, sorted glass, tin and plastic with only three mistakes in two hundred drops.",
		"Their teacher, Anselm Gruber, said the pupils had spent every Wednesday evening since January on the project, and that the idea came from one of them listening to the bin lorry.",
		"The team wins a trip to the international final in Lisbon in the summer and a grant of twenty thousand crowns for the school's science department.",
	}
	bakeryParas = []string{
		"Fire crews spent four hours on Wednesday night putting out a blaze at the Larsgard bakery on Mill Street in Østerby, the oldest bakery in the town, which opened in 1891.",
		"Nobody was hurt: the owners, who live above the shop, were woken by their dog and got out with their two children before the flames reached the stairs.",
		"The fire service said the blaze probably started in an electrical cabinet behind the ovens, and that the shop floor and the flat were badly damaged by smoke and water.",
		"Neighbours set up a fund on Thursday morning to help the family rebuild, and a rival baker across the square offered them the use of his ovens at night.",
	}
)

// detFiles is the test's corpus: name -> content. The first file in walk
// order is a large HTML page (menus and scripts around the article), which
// takes a worker longer than the short files after it.
func detFiles() map[string]string {
	text := func(title string, paras ...string) string { return title + "\n\n" + strings.Join(paras, "\n\n") + "\n" }
	// A syndicated copy: a dateline before the lead and a line of the
	// agency's after the text.
	syndicated := func(paras []string, footer string) []string {
		out := append([]string{}, paras...)
		out[0] = strings.ToUpper(strings.Fields(footer)[0]) + " (Valley Wire) - " + out[0]
		return append(out, footer)
	}
	var page strings.Builder
	page.WriteString("<!doctype html><html><head><title>Trams roll on Velmont's eastern line | Velmont Herald</title>")
	page.WriteString(`<meta property="og:site_name" content="Velmont Herald"><script>var cfg = {};</script></head><body><nav><ul>`)
	for i := range 3000 {
		fmt.Fprintf(&page, `<li><a href="/section/%d">Section %d</a></li>`, i, i)
	}
	page.WriteString("</ul></nav><main><article><h1>Trams roll on Velmont's eastern line</h1>")
	for _, p := range tramParas {
		page.WriteString("<p>" + p + "</p>")
	}
	page.WriteString("</article></main><footer>")
	for i := range 500 {
		fmt.Fprintf(&page, `<a href="/archive/%d">Archive %d</a> `, i, i)
	}
	page.WriteString("</footer></body></html>")
	return map[string]string{
		"00-tram-herald.html":      page.String(),
		"01-tram-wire.txt":         text("Velmont opens eastern tram line", syndicated(tramParas, "Velmont correspondents of the wire contributed to this report from the depot and the estate.")...),
		"02-tram-ledger.txt":       text("New tram line opens", tramParas[:4]...),
		"03-tram-pulse.txt":        text("Queues for first eastern trams", tramOwn...),
		"04-tram-excerpt.txt":      text("Eastern line: costs and timetable", tramParas[3:7]...),
		"05-orchestra.txt":         text("Philharmonic musicians strike over pay", orchestraParas...),
		"06-orchestra-wire.txt":    text("Orchestra walkout empties concert", syndicated(orchestraParas, "Halvard reporting staff followed the dispute from the concert hall through the night.")...),
		"07-orchestra-own.txt":     text("Sibelius evening cancelled as players strike", orchestraOwn...),
		"08-glacier.txt":           text("Record melt on Sornfjell glacier", glacierParas...),
		"09-glacier-excerpt.txt":   text("Sornfjell glacier retreats", glacierParas[:3]...),
		"10-robots.txt":            text("Kettleby pupils win robotics title", robotParas...),
		"11-robots-copy.txt":       text("Recycling robot wins schools contest", syndicated(robotParas, "Kettleby school news is gathered for the wire by pupils of the journalism club each week.")...),
		"12-bakery.txt":            text("Fire guts Østerby's oldest bakery", bakeryParas...),
		"13-orchestra-excerpt.txt": text("Halvard concert cancelled", orchestraParas[1:4]...),
		"14-tram-short.txt":        text("Trams: what changes for riders", tramParas[5:7]...),
	}
}

// annotations returns article id -> "dup_group story" for a database.
func annotations(t *testing.T, db string) map[string]string {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := map[string]string{}
	err = st.Each(context.Background(), store.Filter{}, func(a *article.Article, _ store.Origin) error {
		m[a.ID] = a.DupGroup + " " + a.Story
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestIngestDeterministic: the same inputs give the same copy groups and
// stories at any -j and in any run.
func TestIngestDeterministic(t *testing.T) {
	dir := t.TempDir()
	files := detFiles()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var want map[string]string
	wantRun := ""
	for i, jobs := range []string{"1", "2", "8", "2", "8", "1", "8"} {
		db := filepath.Join(t.TempDir(), fmt.Sprintf("d%d.db", i))
		_, errOut, code := nd(t, db, "", "ingest", "--quiet", "-j", jobs, dir)
		if code != ExitOK || !strings.Contains(errOut, fmt.Sprintf("ingested %d,", len(files))) {
			t.Fatalf("-j %s: exit %d: %s", jobs, code, errOut)
		}
		got := annotations(t, db)
		run := fmt.Sprintf("run %d (-j %s)", i, jobs)
		if want == nil {
			want, wantRun = got, run
			groups, stories := map[string]int{}, map[string]int{}
			for _, v := range got {
				g, s, _ := strings.Cut(v, " ")
				groups[g]++
				stories[s]++
			}
			multi := func(m map[string]int) (n int) {
				for _, c := range m {
					if c > 1 {
						n++
					}
				}
				return n
			}
			// The corpus must exercise both stages: several copy groups
			// and several stories of more than one article.
			if multi(groups) < 3 || multi(stories) < 3 {
				t.Fatalf("fixture: %d copy groups and %d stories with more than one article: %v", multi(groups), multi(stories), got)
			}
			continue
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s: %s is %q, in %s %q", run, id, got[id], wantRun, w)
			}
		}
	}
}
