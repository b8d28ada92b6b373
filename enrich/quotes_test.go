package enrich

import (
	"testing"

	"github.com/newsdesk/newsdesk/article"
)

func TestGivenNameGender(t *testing.T) {
	for _, c := range []struct {
		name string
		g    byte
		ok   bool
	}{
		{"Angela", 'f', true}, {"emmanuel", 'm', true}, {"Paolo De Santis", 'm', true},
		{"Hillary", 'f', true}, {"Jordan", 0, false}, {"Xyzzy", 0, false}, {"", 0, false},
	} {
		g, ok := givenNameGender(c.name)
		if g != c.g || ok != c.ok {
			t.Errorf("givenNameGender(%q) = %q, %v; want %q, %v", c.name, g, ok, c.g, c.ok)
		}
	}
}

// TestQuoteSpeakers checks speakers on fictional sentences: gendered
// pronouns, subjects over topics, "said <place> <role> <name>", titles
// of works, groups and descriptions, transcript tags and colons.
func TestQuoteSpeakers(t *testing.T) {
	type q struct{ text, speaker, span string }
	for _, c := range []struct {
		name  string
		paras []string
		want  []q
	}{
		{
			name: "she goes to the woman",
			paras: []string{
				"Maria Lindqvist met Peter Okafor in Tromsø on Monday.",
				`"We agreed on nothing," she said.`,
				`"Nothing at all," he said.`,
			},
			want: []q{{"We agreed on nothing", "Maria Lindqvist", "she"}, {"Nothing at all", "Peter Okafor", "he"}},
		},
		{
			name: "title gives the gender",
			paras: []string{
				"Mrs. Okonjo-Vale spoke after Dr. Rafe Tallow left the hall.",
				`"I am not finished," she said.`,
			},
			want: []q{{"I am not finished", "Okonjo-Vale", "she"}},
		},
		{
			name: "the subject, not the topic",
			paras: []string{
				"Governor Anna Berg criticised the plan of Tomas Hale at length on Friday.",
				`"It will fail," he said, "and everyone knows it."`,
			},
			want: []q{{"It will fail", "Tomas Hale", "he"}, {"and everyone knows it.", "Tomas Hale", "he"}},
		},
		{
			name: "subject of the verb before the last name",
			paras: []string{
				"Senator Ruth Calloway said the report by Mark Ellery was wrong.",
				`"The figures do not add up," she said.`,
			},
			want: []q{{"The figures do not add up", "Ruth Calloway", "she"}},
		},
		{
			name:  "place, role, name",
			paras: []string{`"We were unlucky tonight," said Norway coach Hallvard Mikkelsen.`},
			want:  []q{{"We were unlucky tonight", "Hallvard Mikkelsen", "Hallvard Mikkelsen"}},
		},
		{
			name: "titles of works are not quotes",
			paras: []string{
				`Clara Voss told NBC's "Meet the Press" that taxes would fall.`,
				`She wrote the book "The Long Road Home" in 2019.`,
				`Voss later told reporters: "Taxes will fall next year."`,
			},
			want: []q{{"Taxes will fall next year.", "Clara Voss", "Voss"}},
		},
		{
			name: "groups and descriptions",
			paras: []string{
				`"The bridge is safe," officials said.`,
				`"Prices will rise," the minister said on Tuesday.`,
				`"We are worried about rents," said respondents in the survey.`,
				`A spokesman for the ministry said the talks were "going nowhere fast".`,
			},
			want: []q{
				{"The bridge is safe", "officials", "officials"},
				{"Prices will rise", "the minister", "the minister"},
				{"We are worried about rents", "respondents", "respondents"},
				{"going nowhere fast", "A spokesman for the ministry", "A spokesman for the ministry"},
			},
		},
		{
			name: "transcript tags",
			paras: []string{
				"MR. HALVORSEN: We will not resign today.",
				"MS. PIRELLI: Then the vote goes ahead.",
				"UPDATE: The vote was held at noon.",
			},
			want: []q{{"We will not resign today.", "HALVORSEN", "HALVORSEN"}, {"Then the vote goes ahead.", "PIRELLI", "PIRELLI"}},
		},
		{
			name:  "a colon after the speaker's clause",
			paras: []string{`Kestrel City coach Paolo De Santis was blunt: "We were not good enough."`},
			want:  []q{{"We were not good enough.", "Paolo De Santis", "Paolo De Santis"}},
		},
		{
			name: "a quote that fills the next paragraph",
			paras: []string{
				"Ingrid Solheim praised the new harbour plan.",
				`"It is the best thing to happen to this town in years."`,
			},
			want: []q{{"It is the best thing to happen to this town in years.", "Ingrid Solheim", "Ingrid Solheim"}},
		},
		{
			name:  "said after a comma, later in the sentence",
			paras: []string{`Halvard Brun "won the coastal towns easily" in the last vote, said pollster Ines Marquardt.`},
			want:  []q{{"won the coastal towns easily", "Ines Marquardt", "Ines Marquardt"}},
		},
		{
			name: "the speaker, not the outlet that relays the words",
			paras: []string{
				`"We will not sign," Tomas Vell said, according to the Harbour Gazette.`,
				`Ada Lindgren said the city would pay "every last krone," according to her office.`,
			},
			want: []q{{"We will not sign", "Tomas Vell", "Tomas Vell"}, {"every last krone", "Ada Lindgren", "Ada Lindgren"}},
		},
		{
			name: "a capitalized name the entity pass did not keep",
			paras: []string{
				`"The port is ready," From said.`,
				`"We sail at dawn," said Baron.`,
			},
			want: []q{{"The port is ready", "From", "From"}, {"We sail at dawn", "Baron", "Baron"}},
		},
		{
			name: "a relative pronoun names the speaker",
			paras: []string{
				`Voters cheered Senator Ruth Calloway, who called the tunnel plan "a fraud" on Friday.`,
				`"The vote is close," said aides in the capital, who asked not to be named.`,
				`The harbour board heard from residents, who said "the rents are too high."`,
			},
			want: []q{
				{"a fraud", "Ruth Calloway", "who"},
				{"The vote is close", "aides", "aides"},
				{"the rents are too high.", "residents", "who"},
			},
		},
		{
			name: "curly marks nest inside straight ones",
			paras: []string{
				`"The council ignored its own “Harbour Charter,” which protects the piers," Ilse Varga said.`,
				`Ilse Varga spoke after the vote.`,
				`"The charter calls the piers “common ground,” and the council knows it.`,
				`"We will go to court," she said.`,
			},
			want: []q{
				{"The council ignored its own “Harbour Charter,” which protects the piers", "Ilse Varga", "Ilse Varga"},
				{"The charter calls the piers “common ground,” and the council knows it.", "Ilse Varga", "Ilse Varga"},
				{"We will go to court", "Ilse Varga", "she"},
			},
		},
		{
			name: "straight marks nest inside curly ones, mixed-up marks still close",
			paras: []string{
				`“They called the plan "a gift" to the builders,” said Oskar Lind.`,
				`"The piers are safe,” Oskar Lind said.`,
				`"“The vote was fair,” Oskar Lind said on Friday."`,
			},
			want: []q{
				{`They called the plan "a gift" to the builders`, "Oskar Lind", "Oskar Lind"},
				{"The piers are safe", "Oskar Lind", "Oskar Lind"},
				{"The vote was fair", "Oskar Lind", "Oskar Lind"},
			},
		},
		{
			name: "cues that are not verbs of saying",
			paras: []string{
				`"Your plan is sound," Greta Holm assured the mayor.`,
				`Storms are "the greatest threat to the coast," Arvid Nyberg proclaimed to the crowd.`,
				`As Lena Falk pointed out, "the budget was cut twice."`,
				`As Jonas Ek put it, "nobody reads the fine print."`,
			},
			want: []q{
				{"Your plan is sound", "Greta Holm", "Greta Holm"},
				{"the greatest threat to the coast", "Arvid Nyberg", "Arvid Nyberg"},
				{"the budget was cut twice.", "Lena Falk", "Lena Falk"},
				{"nobody reads the fine print.", "Jonas Ek", "Jonas Ek"},
			},
		},
		{
			name: "a statement is the object, its issuer the speaker",
			paras: []string{
				`Mayor Petra Lund issued a statement saying the harbour was "open for business."`,
				`The Coastal Alliance released a statement describing the plan as "reckless."`,
			},
			want: []q{
				{"open for business.", "Petra Lund", "Petra Lund"},
				{"reckless.", "Coastal Alliance", "Coastal Alliance"},
			},
		},
		{
			name:  "the subject of the sentence before, in the same paragraph",
			paras: []string{`Mette Dahl defended the ferry budget on Monday. "Every crossing pays for itself."`},
			want:  []q{{"Every crossing pays for itself.", "Mette Dahl", "Mette Dahl"}},
		},
		{
			name: "a quote opening the next paragraph continues when no one else is named",
			paras: []string{
				`"We rebuilt the pier in a year," Henrik Aas said. When the storms came back that winter, the new pier held and the boats stayed in the harbour for weeks.`,
				`"Nobody believed us at first."`,
			},
			want: []q{{"We rebuilt the pier in a year", "Henrik Aas", "Henrik Aas"}, {"Nobody believed us at first.", "Henrik Aas", "Henrik Aas"}},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := &article.Article{Paragraphs: c.paras}
			a.Finalize()
			Enrich(a, Options{})
			keys := map[string]bool{}
			for _, e := range a.Entities {
				keys[e.Key] = true
			}
			if len(a.Quotes) != len(c.want) {
				t.Fatalf("got %d quotes %+v, want %d", len(a.Quotes), a.Quotes, len(c.want))
			}
			runes := []rune(a.Text)
			for i, w := range c.want {
				g := a.Quotes[i]
				span := ""
				if g.SpeakerSpan != nil {
					span = g.SpeakerSpan.Text
					if got := string(runes[g.SpeakerSpan.Start:g.SpeakerSpan.End]); got != span {
						t.Errorf("quote %d: speaker span offsets give %q, text %q", i, got, span)
					}
				}
				if g.Text != w.text || g.Speaker != w.speaker || span != w.span {
					t.Errorf("quote %d = %q by %q (span %q), want %q by %q (span %q)", i, g.Text, g.Speaker, span, w.text, w.speaker, w.span)
				}
				if g.SpeakerKey != "" && !keys[g.SpeakerKey] {
					t.Errorf("quote %d: speaker key %q is no entity's", i, g.SpeakerKey)
				}
			}
		})
	}
}
