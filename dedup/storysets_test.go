package dedup

// Our own story test sets: fictional news events (places, people, outlets
// and text all invented here), generated deterministically from a seed.
// They exercise what stories-dev is too small to show: follow-up events on
// one topic days to months apart (with and without dates in the URL), and
// one event told in very different words beside look-alike distractors.
//
// Templates: {a|b|c} picks one alternative (nested allowed), [v] inserts
// variable v ([v.last]: its last word, [v.cap]: capitalized). Variable
// specs are resolved once per topic or event: "@person" (also @man,
// @woman, @first, @town, @country, @company, @word, @song) draws a fresh
// fictional name, "#lo-hi" a number, "%a|b" a fixed choice; anything else
// stays a template expanded at each use. A speaker's role is [speaker_r].

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// storySet is a named test set of story records with truth clusters.
type storySet struct {
	Name    string
	Records []BenchRecord
}

// ownStorySets returns the generated sets (deterministic for a seed).
func ownStorySets(seed uint64) []storySet {
	return []storySet{
		{Name: "followups", Records: followupSet(seed, true)},
		{Name: "followups-nodate", Records: followupSet(seed, false)},
		{Name: "vocab", Records: vocabSet(seed)},
	}
}

// storyKind is one kind of news event.
type storyKind struct {
	vars   map[string]string
	head   []string
	lead   []string
	react  []string // openers of a reactions piece (lead when empty)
	detail []string
	quote  []string // "speaker|content"
	recap  string   // names the event, for later references
}

// storyTopic is a kind of topic: its entities, background and the events
// that follow one another on it.
type storyTopic struct {
	vars  map[string]string
	bg    []string // background shared by all the topic's events
	angle []string // analysis, also shared
	sect  []string
}

type topicEvent struct {
	kind string
	day  int
	vars map[string]string
}

type storyOutlet struct {
	name, domain string
	style        int // headline style: 0 as written, 1 title case, 2 "| outlet", 3 "- outlet"
}

var storyOutlets = []storyOutlet{
	{"Meridian Post", "meridianpost.com", 1}, {"Northwire", "northwire.net", 0},
	{"The Evening Ledger", "eveningledger.co.uk", 0}, {"Coastline News", "coastlinenews.com", 2},
	{"Global Dispatch", "globaldispatch.org", 1}, {"The Harbour Times", "harbourtimes.com", 0},
	{"Pulse24", "pulse24.tv", 3}, {"The Weekly Lens", "weeklylens.net", 1},
	{"Capital Observer", "capitalobserver.com", 0}, {"Frontpage Wire", "frontpagewire.com", 2},
	{"Atlas Report", "atlasreport.net", 0}, {"Signal Daily", "signaldaily.com", 1},
}

var baseTopicVars = map[string]string{
	"city": "@town", "town2": "@town", "capital": "@town", "country": "@country", "pop": "#40-900",
	"region": "%northern|southern|eastern|western|central", "since": "#2009-2019",
	"mayor": "@person", "mayor_r": "the mayor of [city]", "minister": "@person", "where": "[city]", "focus": "[city]",
	"minister_r": "%[country]'s interior minister|the [country_adj] interior minister", "pm": "@person", "pm_r": "[country]'s {prime minister|premier}",
	"analyst": "@person", "analyst_r": "{an analyst|a senior fellow} at the [think] {Institute|Centre} in [capital]", "think": "@word",
}

var storyTopics = map[string]storyTopic{
	"conflict": {
		vars: map[string]string{"foe": "@country", "venue": "@town", "mediator": "@country", "envoy": "@person",
			"envoy_r": "%the [mediator_adj] foreign minister|[mediator]'s special envoy", "minister_r": "%[country]'s defence minister|the [country_adj] foreign minister",
			"foe_spk": "@person", "foe_spk_r": "the head of the [foe_adj] delegation"},
		bg:    []string{"[city], a port of about [pop],000 people on the [region] coast of [country], has been {on the front line|under fire} since [foe_adj] troops crossed the border {in the spring|earlier this year}.", "The harbour of [city] handles {most|a large share} of [country]'s grain exports{ and fuel imports|}.", "{Much of|Large parts of} the population of [city] {has fled|have left} {inland|for the capital}, according to the office of [mayor].", "[foe_adj] officials {deny|have denied} targeting civilians and say their operations {are aimed at|target only} military sites.", "[country]'s government has {repeatedly|} asked its allies for air defence systems to protect [city].", "The war has {displaced|driven} hundreds of thousands of people from their homes along the coast."},
		angle: []string{"{Military analysts|Observers} say control of [city] would {give|hand} [foe_adj] forces {a foothold on the coast|command of the shipping lanes}.", "The fighting around [city] has become a test of whether [country] can hold {its coastline|its southern ports} without more foreign help.", "[analyst], [analyst_r], said the {pattern|sequence} of {strikes|attacks} suggested {a deliberate campaign|a strategy to cut the city off}."},
		sect:  []string{"world", "international", "news"},
	},
	"singer": {
		vars: map[string]string{"singer": "@woman", "singer_r": "the singer", "song": "@song", "platform": "%VidStream|Clipwave|ViewBox",
			"label": "[lw] Records", "lw": "@word", "labelboss": "@person", "labelboss_r": "{chief executive|head} of [label]", "fancity": "@town",
			"age": "#19-31", "album": "@song", "focus": "[singer]", "analyst_r": "a music critic at [think] Magazine"},
		bg:    []string{"[singer], [age], grew up in [city] and {began|started} {posting songs online|performing} {as a teenager|in school}.", "'[song]' was released by [label] {earlier this year|last year} as the lead single from {the album|her debut album} '[album]'.", "The video, {filmed|shot} {in a single take|on a disused pier} near [city], {shows|features} [singer] {walking|dancing} through {an empty ballroom|a flooded street}.", "[singer] {has been compared to|is often likened to} {the great ballad singers|folk singers of the 1970s} in the [country_adj] press."},
		angle: []string{"{Industry analysts|Music industry watchers} say '[song]' {shows|is proof} how {a single video|short clips shared on social media} can {carry|lift} {an unknown artist|a newcomer} {to a mass audience|into the charts}.", "[analyst], [analyst_r], said the song's {slow|steady} rise {was unusual|set it apart} {for a ballad|in a market dominated by dance tracks}.", "{Streaming|Video} {figures|numbers} have become {the main currency|the measure} of {success|a hit} for young artists such as [singer]."},
		sect:  []string{"culture", "music", "entertainment"},
	},
	"football": {
		vars: map[string]string{"player": "@man", "player_r": "the [pos]", "club": "%[ctown] Rovers|[ctown] United|Athletic [ctown]", "ctown": "@town",
			"newclub": "%[ntown] FC|Real [ntown]|[ntown] City", "ntown": "@town", "fee": "#25-90", "manager": "@person", "manager_r": "the [club] {manager|head coach}",
			"nmanager": "@person", "nmanager_r": "the [newclub] {manager|coach}", "age": "#19-27", "pos": "%striker|winger|midfielder|centre-back",
			"goals": "#18-60", "apps": "#70-160", "lpos": "%second|third|fourth", "focus": "[club]", "where": "[ctown]", "years": "#2-4"},
		bg:    []string{"[player], [age], came through [club]'s {academy|youth system} and has scored [goals] goals in [apps] appearances {for the club|in all competitions}.", "The [country_adj] [pos] {has been one of the league's standout players this season|was one of the league's standout players last season}.", "[club] finished [lpos] in the league last season but {face|are facing} {financial pressure|questions about their debts}.", "[player] {has|had} [years] years left on his contract {at|with} [club]."},
		angle: []string{"For [club], the [player] {saga|affair} {is|has become} a test of whether they can hold on to their best players.", "[analyst], [analyst_r], said {clubs such as [newclub]|the richest clubs} {are|were} increasingly willing to pay {record fees|over the odds} for young [pos]s.", "The {saga|story} {shows|illustrates} how {little power|few options} a {mid-table club|club outside the elite} has once {a big club calls|a rich rival comes knocking}."},
		sect:  []string{"sport", "football"},
	},
	"storm": {
		vars:  map[string]string{"stormname": "@first", "stormtype": "%storm|cyclone", "donor": "@country", "resident_r": "a resident of [city]"},
		bg:    []string{"[stormtype.cap] [stormname] formed over the {warm waters|open sea} off [country] {last week|several days earlier} and {strengthened|intensified} quickly as it {moved|tracked} towards the coast.", "The [region] coast of [country], home to [city] and [town2], is {often|frequently} {hit|battered} by {storms|cyclones} at this time of year.", "[country]'s {weather service|meteorological agency} had issued its {highest|red} warning for coastal districts.", "{Scientists|Climate researchers} say warmer seas are making storms {such as|like} [stormname] {more intense|stronger} and wetter."},
		angle: []string{"The {damage|destruction} left by [stormname] has renewed {questions|debate} about building on {low-lying|exposed} land along the [region] coast.", "[analyst], [analyst_r], said [country]'s warning system had worked better than in past storms, but {flood defences|sea walls} {had not kept pace|were still too low}."},
		sect:  []string{"news", "world", "environment"},
	},
	"merger": {
		vars: map[string]string{"compa": "@company", "compb": "@company", "ceo": "@person", "ceo_r": "chief executive of [compa]", "ceob": "@person",
			"ceob_r": "[compb]'s chief executive", "sector": "%telecoms|energy|banking|shipping", "deal": "#4-30", "staff": "#8-60", "focus": "[compa]"},
		bg:    []string{"[compa], based in [city], is one of [country]'s {largest|biggest} [sector] {groups|companies}, with about [staff],000 employees.", "[compb] has struggled with {heavy debts|falling profits} {since the pandemic|after a failed expansion abroad}.", "{Shares|The shares} of both companies trade on the [city] stock exchange.", "The [sector] {sector|industry} in [country] has been through {a wave of|several} {mergers|takeovers} {in recent years|over the past decade}."},
		angle: []string{"{Combining|Merging} [compa] and [compb] {would create|creates} a group {with|controlling} {almost half|about a third} of the [country_adj] [sector] market, analysts say.", "[analyst], [analyst_r], said {cost savings|synergies} {would|were likely to} come mostly from {cutting|closing} {overlapping|duplicate} {offices|operations}."},
		sect:  []string{"business", "markets", "economy"},
	},
	"election": {
		vars: map[string]string{"cand1": "@man", "cand1_r": "the prime minister", "cand2": "@woman", "cand2_r": "the opposition leader",
			"party1": "%the Civic Union|the National Renewal party|the Labour Alliance", "party2": "%the Green Forward party|the Democratic Centre|the Freedom and Justice party",
			"nb": "@country", "cand1age": "#52-68"},
		bg:    []string{"[country] {votes|goes to the polls} in a parliamentary election {called early|brought forward} after {the collapse of the coalition|a budget crisis}.", "[cand1], [cand1age], has led [party1] since [since] and has been prime minister for {two terms|six years}.", "[cand2], a former mayor of [city], leads [party2], which has campaigned on {cutting energy prices|housing and wages}.", "{Polls|Opinion polls} {have shown|showed} the two {parties|blocs} {neck and neck|within a few points of each other} {for weeks|throughout the campaign}."},
		angle: []string{"The {election|vote} {is seen as|has become} a referendum on [cand1]'s {handling of|record on} {inflation|the economy}.", "[analyst], [analyst_r], said {turnout|young voters} could {decide|swing} the result."},
		sect:  []string{"politics", "world"},
	},
	"politician": {
		vars: map[string]string{"pol": "@woman", "pol_r": "%a [country_adj] senator|a member of parliament for [city]", "party1": "%the Civic Union|the Labour Alliance",
			"conv": "%the [party1] convention|her party's annual convention", "award": "%the [aw] Prize for Civic Courage|the [aw] Medal for Public Service", "aw": "@word",
			"prof": "%schoolteacher|nurse|human rights lawyer", "polage": "#38-55", "leader": "@person", "leader_r": "the party leader", "venue": "@town", "focus": "[pol]"},
		bg:    []string{"[pol], [polage], has represented [city] since [since] and {chairs|sits on} the {education|health} committee.", "Before entering politics, [pol] worked as a [prof] in [city].", "She is {widely seen|tipped} as a {possible|future} {candidate for party leader|leader of [party1]}.", "[pol] has campaigned {for years|} for {free school meals|care for the elderly} and {housing|women's rights}."},
		angle: []string{"[pol]'s rise {reflects|shows} {a shift|a generational change} {in|inside} [party1], {analysts say|commentators say}.", "[analyst], [analyst_r], said [pol] {had|has} {a rare|an unusual} ability to appeal to voters beyond the party's {base|core}."},
		sect:  []string{"politics", "news"},
	},
	"country": {
		vars:  map[string]string{"president": "@person", "palace": "%the [capital] Palace|the presidential palace in [capital]", "cappop": "#300-2500", "lastelec": "#2019-2023", "focus": "[country]", "where": "[capital]"},
		bg:    []string{"[country] is {one of|among} the poorer countries in the region, and its roads are among the most dangerous.", "President [president] has been in power since [since] and won {a third|a disputed} term in [lastelec].", "{Transport|Road safety} has become a {political|charged} issue in [country] after a series of {fatal|deadly} accidents {this year|in recent months}.", "[capital], the capital, is home to about [cappop],000 people."},
		angle: []string{"{Recent events|The crash} {have|has} {exposed|revealed} {anger|frustration} over {corruption|underfunding} {in|of} [country]'s {roads|public services}.", "[analyst], [analyst_r], said President [president] {faced|was facing} the most serious {test|challenge} {of his rule|in a decade}."},
		sect:  []string{"world", "news"},
	},
	"local": {
		vars: map[string]string{"firm": "@company", "chief": "@person", "chief_r": "head of the [city] fire service", "owner": "@person", "owner_r": "managing director of [firm]",
			"suspect": "@person", "judge": "@person", "employees": "#80-600", "inspyear": "#2019-2023"},
		bg:    []string{"[city], a town of about [pop],000 people in the [region] region of [country], {is known for|grew around} its {textile mills|timber yards}.", "The [firm] site employed about [employees] people and was last inspected in [inspyear].", "Residents {had complained|have complained} {for years|repeatedly} about fire risks at {old|ageing} industrial buildings on the edge of [city]."},
		angle: []string{"{The case|The fire} has raised {questions|concerns} about {safety inspections|the enforcement of fire rules} at industrial sites across [country].", "[analyst], [analyst_r], said {inspection budgets|the number of inspectors} had been cut {by a third|sharply} over the past decade."},
		sect:  []string{"news", "local", "regions"},
	},
}

var storyKinds = map[string]storyKind{
	"shelling": {
		vars:   map[string]string{"dead": "#4-31", "injured": "#20-140", "district": "@word", "hours": "#3-9", "homes": "#4-40", "resident": "@person", "resident_r": "a resident of the [district] district"},
		head:   []string{"{Heavy shelling|Artillery barrage|Rocket fire} {hits|pounds} [city], killing at least [dead]", "At least [dead] killed as [foe_adj] forces shell [city]", "[city] {residents|civilians} {shelter|take cover} as {shells|rockets} rain on port"},
		lead:   []string{"At least [dead] people were killed and [injured] wounded when [foe_adj] artillery {pounded|shelled} the port city of [city] {overnight|on [weekday]}, {local officials|the regional administration} said.", "{Rockets and artillery shells|A barrage of shells} {hit|slammed into} residential {streets|blocks} of [city] {early on [weekday]|overnight}, killing [dead] {people|civilians} and wounding [injured].", "[foe_adj] forces {launched|unleashed} {one of the heaviest bombardments|the heaviest barrage} of the war on [city] on [weekday], leaving at least [dead] dead."},
		react:  []string{"{Governments|Leaders} {condemned|denounced} the {bombardment|shelling} of [city] on [weekday], which left at least [dead] dead."},
		detail: []string{"The {shells|rockets} {fell on|struck} the [district] district, {destroying|damaging} {a school|a market} and cutting power to {about|around} [homes],000 homes.", "{Rescue teams|Emergency crews} {worked through the night|were still searching} {to pull survivors from|through} the rubble of a five-storey building.", "{Hospitals in [city]|The city hospital} said it was treating [injured] {wounded|injured people}, many of them {children|elderly residents}.", "The bombardment {lasted|went on for} {about|nearly} [hours] hours, {residents said|according to witnesses}.", "[mayor] said the main water pumping station had been hit, leaving {parts of the city|the [district] district} without running water."},
		quote:  []string{"mayor|{They are shooting at|They are targeting} {homes|apartment blocks}, not soldiers. {There is no military target in the [district] district|This is terror against civilians}", "minister|{This was a deliberate attack on civilians|The shelling of [city] is a war crime}, and {those responsible|the people who ordered it} will {answer for it|be held to account}", "resident|{I heard the first explosion at about four|The windows blew in at four in the morning}. {We ran to the basement|We spent the night in the cellar}"},
		recap:  "the shelling of [city] that killed [dead] people",
	},
	"mediastrike": {
		vars: map[string]string{"bldg": "%the [city] Broadcasting House|the regional television centre in [city]|the headquarters of Radio [city]", "jdead": "#1-4", "staffn": "#20-60",
			"director": "@person", "director_r": "the station's director", "press": "@person", "press_r": "a spokesperson for the International Press Safety Council", "mediakilled": "#14-40"},
		head:   []string{"{Missile|Drone strike} hits [bldg], {killing [jdead] staff|knocking channel off air}", "[city] broadcaster {knocked off air|silenced} after {missile strike|direct hit}", "{Media workers|Staff} killed as [foe_adj] missile strikes [city] television building"},
		lead:   []string{"A [foe_adj] {missile|guided missile} struck [bldg] late on [weekday], killing [jdead] {employees|members of staff} and {taking its broadcasts off air|cutting the signal to much of the coast}.", "[bldg.cap] was {hit|badly damaged} by a missile on [weekday], {the station said|its director said}, in {an attack|a strike} that killed [jdead] {journalists and technicians|staff members}."},
		react:  []string{"{Press freedom groups|Media organisations and governments} {condemned|denounced} the strike on [bldg] on [weekday], which killed [jdead] staff."},
		detail: []string{"The missile {hit|tore through} the {upper floors|newsroom and studio floors} {shortly after|just before} the evening news bulletin.", "{Broadcasts|Transmission} resumed {hours later|by the next morning} from a {reserve studio|backup transmitter} outside the city.", "[director], [director_r], said [staffn] people were {in the building|at work} when the missile struck.", "{Press freedom groups|Media organisations} say at least [mediakilled] media workers have been killed since the war began."},
		quote:  []string{"director|{They wanted to silence us|This was an attempt to silence the only independent voice on the coast}. {We will keep broadcasting|We are back on air}", "minister|{Striking a television station is an attack on the truth|Journalists are not combatants}", "press|{Deliberately targeting|Attacking} media workers is a war crime under international law"},
		recap:  "the missile strike on [bldg]",
	},
	"talks": {
		head:   []string{"{Ceasefire|Truce} talks {open|begin} in [venue] as [city] counts its dead", "[country] and [foe] send delegations to {truce|ceasefire} talks in [venue]", "Talks on [city] ceasefire {get under way|start} with [mediator_adj] mediation"},
		lead:   []string{"Delegations from [country] and [foe] {met|sat down} in [venue] on [weekday] for {the first direct talks|their first face-to-face talks} {in months|since the fighting began}, seeking a ceasefire around [city].", "[mediator_adj] mediators {opened|convened} {talks|negotiations} in [venue] on [weekday] between [country] and [foe], with {a truce in [city]|a halt to the shelling of [city]} at the top of the agenda."},
		detail: []string{"The talks {are expected to|could} last {several days|up to a week}, according to [envoy], [envoy_r].", "[country]'s delegation is led by [minister], who {has demanded|insists on} the withdrawal of [foe_adj] artillery from {the hills around [city]|range of the port}.", "{A humanitarian corridor|Safe passage for civilians} out of [city] is {one of the first items|also} on the agenda.", "Neither side has {published|made public} {its demands|a draft text}, and both delegations {declined|refused} to speak to reporters on arrival."},
		quote:  []string{"envoy|{We are not expecting miracles in the first round|The first step is to stop the guns}, but {both sides are at the table|the mood in the room is serious}", "minister|{We came to [venue] to end the suffering of [city]|Our people in [city] need silence, not speeches}", "foe_spk|{We are ready to discuss|[foe] is open to} a pause{ if [country] withdraws its troops|, on conditions}"},
		recap:  "the {ceasefire|truce} talks in [venue]",
	},
	"ceasefire": {
		vars:   map[string]string{"hour": "%midnight|noon|06:00", "monitors": "#40-200", "km": "#10-40"},
		head:   []string{"Ceasefire {signed|agreed} for [city] after [venue] talks", "[country] and [foe] sign truce; guns {fall silent|go quiet} over [city]", "{Truce|Ceasefire} {takes effect|comes into force} in [city]"},
		lead:   []string{"[country] and [foe] signed a ceasefire in [venue] on [weekday], {ending|halting} weeks of {shelling|bombardment} of [city], with the truce {to take effect|taking effect} at [hour].", "A ceasefire covering [city] and the [region] coast {came into force|took effect} at [hour] after {negotiators|delegations} {signed|initialled} an agreement in [venue]."},
		detail: []string{"Under the agreement, [foe_adj] {artillery|heavy weapons} must be pulled back at least [km] kilometres from the city.", "[monitors] {international|unarmed} monitors will {oversee|observe} the truce, [envoy] said.", "{Residents|People} in [city] {came out into the streets|gathered at the harbour} as the {deadline|hour} passed without gunfire.", "The agreement also {provides for|includes} an exchange of prisoners and the {reopening|resumption} of {grain shipments|the port} within two weeks."},
		quote:  []string{"envoy|{Today the guns are quiet|This is a fragile beginning}, and {the task now is to keep them quiet|everyone must respect it}", "mayor|{For the first time in weeks|Tonight} {the children of [city] can sleep|[city] can sleep} without sirens", "pm|{A ceasefire is not yet peace|We will judge [foe] by its actions, not its signature}"},
		recap:  "the ceasefire signed in [venue]",
	},
	"milestone": {
		vars:   map[string]string{"views": "%1 million|2 million", "elapsed": "%five weeks|two months", "dayviews": "#20-300", "streams": "#2-40", "chart": "#1-40"},
		head:   []string{"[singer]'s '[song]' {passes|crosses|tops} [views] views", "'[song]' video {hits|reaches} [views] views on [platform]", "[views] views and counting for [singer]'s '[song]'"},
		lead:   []string{"The music video for '[song]' by [singer] {passed|crossed} [views] views on [platform] on [weekday], {[label] said|according to the platform's counter}.", "[singer]'s '[song]' has reached [views] {views|plays} on [platform], {[elapsed] after its release|a milestone [label] announced on [weekday]}."},
		detail: []string{"The video {drew|picked up} [dayviews],000 views in the {past|last} 24 hours alone, according to [platform].", "'[song]' {is now|has become} the {most-watched|most viewed} video by {a [country_adj] artist|a solo artist from [country]} this year.", "The song {has|now has} [streams] million streams on {audio services|streaming platforms} and {sits at|is at} number [chart] on the [country_adj] singles chart.", "[singer] {marked|celebrated} the milestone with a {post|short video} thanking fans{ in [fancity]|}.", "It took [elapsed] for the video to reach [views] views."},
		quote:  []string{"singer|{I never imagined|I could not have dreamed} that {so many people|[views] people} would watch {a song I wrote in my kitchen|this little song}", "labelboss|{The numbers keep surprising us|This is a song that keeps finding new listeners}"},
		recap:  "'[song]' passing [views] views",
	},
	"tour": {
		vars:   map[string]string{"shows": "#12-40", "openvenue": "@town", "startmonth": "%September|October|November", "tickets": "#50-200", "tourname": "@word", "promoter": "@person", "promoter_r": "the tour's promoter"},
		head:   []string{"[singer] announces [shows]-date {tour|world tour}", "[singer] to take '[song]' on the road with [shows] shows", "Tickets for [singer]'s [tourname] tour go on sale"},
		lead:   []string{"[singer] {announced|unveiled} a [shows]-date tour on [weekday], opening in [openvenue] in [startmonth] and closing in [city].", "[singer] will {take|bring} '[song]' {on the road|to arenas} in [startmonth], with a tour of [shows] shows {announced|revealed} on [weekday]."},
		detail: []string{"Tickets go on sale {on Friday|next week}, and presale codes {were sent|went out} to fan club members.", "The [tourname] tour {includes|takes in} arena dates in [openvenue], [city] and [fancity].", "[label] said more than [tickets],000 {fans|people} had registered for {tickets|the presale} within {hours|the first day}.", "It will be [singer]'s first {tour|run of concerts} since {a break of two years|the release of '[song]'}."},
		quote:  []string{"singer|{Playing these songs live|Singing for you} is {what I have been waiting for|the part I love most}", "promoter|{Demand has been extraordinary|We have never seen a presale like this}"},
		recap:  "the announcement of [singer]'s [tourname] tour",
	},
	"bid": {
		vars:   map[string]string{"bidfee": "#15-24"},
		head:   []string{"[club] {reject|turn down|rebuff} [newclub]'s [bidfee] million bid for [player]", "[newclub] {make|table} [bidfee] million {offer|bid} for [club] [pos] [player]"},
		lead:   []string{"[club] have rejected {a bid|an offer} of [bidfee] million from [newclub] for their [pos] [player], {the club confirmed|sources at the club said} on [weekday].", "[newclub] {made|submitted} a [bidfee] million {offer|bid} for [player] on [weekday], but it was {turned down|rejected} by [club] {within hours|the same day}."},
		detail: []string{"[club] {value|are understood to value} the [pos] at more than [fee] million.", "[player] has not asked {to leave|for a transfer}, {people close to the player said|his agent said}.", "[newclub] {are expected to|may} {return with|come back with} {an improved offer|a second bid} {before the window closes|in the coming days}."},
		quote:  []string{"manager|[player] {is not for sale|is our player}, {and nothing has changed|I have said it many times}", "nmanager|{I will not talk about|I don't comment on} players {at other clubs|under contract elsewhere}. {He is a very good player, that's all|Ask the sporting director}"},
		recap:  "[club]'s rejection of a [bidfee] million bid from [newclub]",
	},
	"transfer": {
		vars:   map[string]string{"shirt": "#7-99", "contract": "#4-6", "addons": "#3-12"},
		head:   []string{"[player] {completes|seals} [fee] million move to [newclub]", "[newclub] {sign|land} [player] from [club] {for [fee] million|in club-record deal}", "[player] joins [newclub] from [club]"},
		lead:   []string{"[player] has completed his move from [club] to [newclub] for a fee of [fee] million, signing a [contract]-year contract, {the clubs said|both clubs announced} on [weekday].", "[newclub] {signed|completed the signing of} [club] [pos] [player] on [weekday] in a deal worth [fee] million{, a club record|}."},
		detail: []string{"[player] {passed|underwent} a medical {on [weekday] morning|at the club's training ground} before {signing|putting pen to paper}.", "He {will wear|takes} the number [shirt] shirt at [newclub].", "The fee could rise by a further [addons] million in add-ons, {according to|said} [club].", "[club] {will|are expected to} {reinvest the fee|use the money} {to rebuild|on} {their squad|a new [pos]}."},
		quote:  []string{"player|{It is a dream to join|I am proud to sign for} [newclub]. {I want to win trophies here|I can't wait to meet the fans}", "nmanager|{He is exactly the player we wanted|We have followed him for two years}, {young and hungry|and he fits our style}", "manager|{We wish him well|He leaves with our thanks}. {It was the right offer|The club got a fair price}"},
		recap:  "[player]'s [fee] million move to [newclub]",
	},
	"injury": {
		vars:   map[string]string{"weeks": "#4-16", "injpart": "%hamstring|knee ligament|ankle|thigh", "opponent": "%[otown] Wanderers|[otown] Albion", "otown": "@town", "sub": "@man", "minute": "#10-85"},
		head:   []string{"[player] out for [weeks] weeks with [injpart] injury", "Blow for [newclub] as [player] {suffers|picks up} [injpart] injury"},
		lead:   []string{"[newclub] [pos] [player] {will be out|faces a spell out} for [weeks] weeks after injuring his [injpart] {in|during} the {win|draw|defeat} against [opponent] on [weekday], the club said.", "[player] is expected to miss {up to|around} [weeks] weeks {with|because of} a [injpart] injury {sustained|picked up} against [opponent], [newclub] {confirmed|said} on [weekday]."},
		detail: []string{"{He|[player]} {was carried off|limped off} in the [minute]th minute and was replaced by [sub].", "{Scans|A scan} {confirmed|showed} {a tear|damage} in the [injpart], the club said.", "The injury {comes|is a blow} {weeks|only a short time} after his [fee] million move from [club].", "[newclub] will have to manage without their new signing {for the rest of the month|until the new year}."},
		quote:  []string{"nmanager|{It is a big loss for us|We are all disappointed for him}, {but he is young and will come back stronger|he was in his best form}", "player|{Frustrated|Gutted} to miss the next games, {but I will work hard to be back soon|thank you for all the messages}"},
		recap:  "[player]'s [injpart] injury against [opponent]",
	},
	"landfall": {
		vars:   map[string]string{"dead": "#3-25", "wind": "#120-210", "evac": "#10-80", "outage": "#50-400", "surge": "#2-5", "flights": "#40-200", "resident": "@person"},
		head:   []string{"[stormtype.cap] [stormname] {makes landfall|slams into} [country], killing [dead]", "At least [dead] dead as [stormname] {batters|lashes} [city]", "[stormname]: winds of [wind] km/h hit [city]"},
		lead:   []string{"[stormtype.cap] [stormname] {made landfall|came ashore} near [city] on [weekday] with winds of up to [wind] km/h, killing at least [dead] people and cutting power to [outage],000 homes.", "At least [dead] people {were killed|died} as [stormname] {tore across|swept over} the [region] coast of [country] on [weekday], {flattening|uprooting} trees and {flooding|swamping} low-lying streets of [city]."},
		detail: []string{"{Authorities|Officials} had {evacuated|moved} [evac],000 people from {coastal|low-lying} areas {before|ahead of} the storm.", "The road {between|linking} [city] and [town2] was {blocked|cut} by {fallen trees|floodwater}, and rail services were suspended.", "{A storm surge|Waves} of up to [surge] metres {flooded|swept into} the harbour in [city].", "The airport in [city] {was closed|closed} and [flights] flights were cancelled."},
		quote:  []string{"mayor|{We have never seen water like this|The whole seafront is under water}. {Stay indoors|Please stay at home} until {the wind drops|we say it is safe}", "minister|{The army has been deployed|Rescue teams are on their way} to {help|reach} {cut-off|isolated} villages", "resident|{The roof just lifted off|We heard the windows break} in the night, and then the water came in"},
		recap:  "[stormname]'s landfall near [city]",
	},
	"aid": {
		vars:   map[string]string{"aidm": "#20-300", "homesd": "#2-30", "loss": "#200-900", "grant": "%5,000|8,000|10,000"},
		head:   []string{"[country] {pledges|approves} [aidm] million {in aid|for recovery} after [stormname]", "Rebuilding begins in [city] {a week|days} after [stormname]", "[donor] {sends|flies in} aid for [stormname] {victims|survivors}"},
		lead:   []string{"[country]'s government {approved|announced} [aidm] million in {emergency aid|reconstruction funds} on [weekday] for towns hit by [stormname], as power returned to most of [city].", "{A week|Days} after [stormname] {battered|struck} the coast, [pm] {toured|visited} [city] on [weekday] and {promised|pledged} [aidm] million to rebuild [homesd],000 damaged homes."},
		detail: []string{"[donor] {sent|flew in} {two planeloads|a shipment} of {tents, water and medicine|generators and water filters}.", "{Insurers|An industry group} {estimated|put} insured losses at {around|about} [loss] million.", "Families whose homes were destroyed will receive grants of up to [grant] each, [minister] said.", "Most schools in [city] {reopened|are to reopen} {on [weekday]|next week}, though some are still used as shelters."},
		quote:  []string{"pm|{We will rebuild [city] better than before|No family will be left alone}", "mayor|{The money is welcome|This is a start}, but {it will take years|we will need more} {to repair the harbour|to rebuild what we lost}"},
		recap:  "the [aidm] million recovery package after [stormname]",
	},
	"merger": {
		vars:   map[string]string{"jump": "#12-45", "pershare": "#8-60", "savings": "#80-600"},
		head:   []string{"[compa] agrees [deal] billion {takeover|purchase} of [compb]", "[compa] and [compb] to merge in [deal] billion deal", "[compb] shares {jump|soar} [jump]% on [compa] deal"},
		lead:   []string{"[compa] {agreed to buy|will acquire} [compb] for [deal] billion, the two [sector] companies said on [weekday], in a deal that would create the {largest|biggest} [sector] group in [country].", "[compb] {accepted|agreed to} a [deal] billion {takeover offer|bid} from {rival|larger rival} [compa] on [weekday], {sending its shares up|and its shares jumped} [jump]%."},
		detail: []string{"[compa] will pay [pershare] per share in cash, a premium of [jump]% over [compb]'s last closing price.", "The {deal|merger} is expected to close {by the end of next year|within twelve months}, {subject to|pending} {regulatory approval|approval by regulators}.", "The combined company will be led by [ceo] and keep its headquarters in [city].", "The companies {expect|promised} annual savings of [savings] million within three years."},
		quote:  []string{"ceo|{Together we will be stronger|This deal brings together two great companies} {and better able to invest|and will serve customers better}", "ceob|{This is the right outcome for our shareholders|We looked at every option, and this is the best one}"},
		recap:  "[compa]'s [deal] billion agreement to buy [compb]",
	},
	"probe": {
		vars:   map[string]string{"regboss": "@person", "regboss_r": "head of the [country_adj] competition authority", "months": "#4-9", "share": "#35-60"},
		head:   []string{"Regulator opens {in-depth|full} {probe|investigation} into [compa]-[compb] deal", "[compa] takeover of [compb] {faces|hit by} {competition probe|regulatory scrutiny}"},
		lead:   []string{"[country]'s competition {authority|regulator} {opened|launched} an in-depth investigation on [weekday] into [compa]'s [deal] billion takeover of [compb], citing {concerns|fears} about {higher prices|competition} in the [sector] market.", "{Competition regulators|The competition authority} in [country] said on [weekday] they would {examine|scrutinise} [compa]'s {planned|proposed} takeover of [compb] in a second-phase review, delaying the deal by months."},
		detail: []string{"The {review|probe} could {last|take} up to [months] months, the authority said.", "[regboss], [regboss_r], said the merged company would {control|hold} [share]% of the market in {some regions|the [region] region}.", "[compa] said it would {cooperate|work constructively} with the {regulator|authority} and was confident the deal would be {approved|cleared}.", "{Consumer groups|A consumer association} had urged the {regulator|authority} to block the deal outright."},
		quote:  []string{"regboss|{We have to make sure|Our job is to ensure} {customers do not end up paying more|that competition survives in this market}", "ceo|{We are confident|We remain convinced} {the merger is good for customers|the deal will be approved}"},
		recap:  "the competition investigation into the [compa]-[compb] deal",
	},
	"jobcuts": {
		vars:   map[string]string{"cuts": "%1,200|2,400|3,100|850", "sites": "#6-30", "union": "@word", "unionboss": "@person", "unionboss_r": "leader of the [union] union", "rise": "#2-6"},
		head:   []string{"[compa] to cut [cuts] jobs after [compb] {takeover|merger}", "{Unions|Workers} {angry|protest} as [compa] {plans|announces} [cuts] job cuts"},
		lead:   []string{"[compa] will cut [cuts] jobs and close [sites] offices {as it integrates|after completing its takeover of} [compb], the company said on [weekday].", "About [cuts] {jobs|positions} will {go|be lost} at [compa] over the next two years, the [sector] group {said|announced} on [weekday], months after {closing|completing} its [deal] billion purchase of [compb]."},
		detail: []string{"Most of the cuts will fall at [compb]'s former headquarters in [town2].", "The [union] union {called|announced} a {strike|walkout} for next week in protest.", "[compa] said {voluntary redundancy|early retirement} would be offered first.", "The group's shares {rose|gained} [rise]% {on the news|after the announcement}."},
		quote:  []string{"unionboss|{These workers were promised|They promised} {that jobs were safe|no forced redundancies}. {It was not true|Now they break that promise}", "ceo|{These are difficult decisions|It is a painful step}, but {necessary|needed} {to secure the future of the group|for the company to compete}"},
		recap:  "[compa]'s plan to cut [cuts] jobs",
	},
	"debate": {
		vars:   map[string]string{"viewers": "#2-6", "margin": "#2-9", "edays": "%ten|twelve|sixteen"},
		head:   []string{"[cand1] and [cand2] {clash|spar} over {prices|the economy} in TV debate", "{Fiery|Heated} debate as [cand2] {accuses|attacks} [cand1] over housing"},
		lead:   []string{"[cand1] and [cand2] {clashed|traded blows} over {the cost of living|energy prices} and housing in the only televised debate on [weekday] evening, [edays] days before [country]'s election.", "{Challenger|Opposition leader} [cand2] accused prime minister [cand1] of {failing|neglecting} {young families|renters} in a {heated|combative} TV debate on [weekday]."},
		detail: []string{"The debate, broadcast by the public broadcaster, {was watched by|drew} an estimated [viewers] million viewers.", "A {snap|quick} poll after the debate {gave|put} [cand2] ahead by [margin] points.", "[cand1] {defended|stood by} his government's {energy price cap|record} and argued that wages had risen faster than prices last year.", "The two leaders also {disagreed|sparred} over {immigration|defence spending} and relations with [nb]."},
		quote:  []string{"cand2|{You had six years|Six years in power} and {rents have doubled|families are poorer}. {What changed?|That is your record}", "cand1|{My opponent has slogans|Slogans do not pay bills}; {we have a plan|I have a record}"},
		recap:  "the televised debate between [cand1] and [cand2]",
	},
	"results": {
		vars:   map[string]string{"seats": "#72-98", "pct": "#29-41", "turnout": "#61-78", "pct1": "#19-27", "seats1": "#40-60"},
		head:   []string{"[cand2] and [party2] win [country] election", "[country] election: [party2] takes most seats, [cand1] concedes", "[cand1] {ousted|voted out} as [party2] {tops|wins} poll"},
		lead:   []string{"[party2] {won|came first in} [country]'s parliamentary election on [weekday] with [pct]% of the vote, {official results|the electoral commission} {showed|said}, ending [cand1]'s six years in power.", "[cand1] {conceded defeat|admitted defeat} on [weekday] after results gave [party2], led by [cand2], [seats] of the 200 seats in parliament, short of a majority."},
		detail: []string{"Turnout was [turnout]%, {the highest|up} since the last election.", "[party2] will need {a coalition partner|partners} to reach a majority of 101 seats.", "[party1] took [pct1]% and [seats1] seats, its worst result in decades.", "{Supporters|Crowds} {celebrated|gathered} outside [party2]'s headquarters in [city] into the early hours."},
		quote:  []string{"cand2|{Tonight [country] chose change|The voters have spoken}, {and we will not let them down|and we will govern for everyone}", "cand1|{I congratulate [cand2]|The result is clear}. {I take responsibility|We lost, and I accept it}"},
		recap:  "[party2]'s election victory",
	},
	"speech": {
		vars:   map[string]string{"mins": "#20-45", "ovations": "#3-9", "kviews": "#300-900"},
		head:   []string{"[pol] {rallies|electrifies} [party1] delegates with call for {fairness|unity}", "[pol] speech {brings convention to its feet|wins long ovation}"},
		lead:   []string{"[pol] brought delegates to their feet at [conv] in [venue] on [weekday] with a [mins]-minute speech calling for {a fairer economy|unity and fairness}.", "In {a speech|an address} that drew [ovations] standing ovations, [pol] told [conv] on [weekday] that [party1] must {win back|reconnect with} {working families|young voters}."},
		detail: []string{"She spoke of her mother, who {cleaned offices|worked in a fish factory} in [city].", "The speech had been {watched|streamed} more than [kviews],000 times online by the next morning.", "{Party leaders|Delegates} called it the highlight of the {three-day|four-day} convention.", "She {proposed|called for} {a national childcare guarantee|free bus travel for students}, paid for by a tax on {windfall profits|large fortunes}."},
		quote:  []string{"pol|{We are not here to manage decline|Fairness is not a slogan}. {We are here to change things|It is a promise}", "leader|{She spoke for all of us|That is what our party is about}"},
		recap:  "[pol]'s speech at [conv]",
	},
	"award": {
		vars: map[string]string{"jury": "@person", "jury_r": "chair of the prize jury", "nominees": "%four|five|six", "ceremmonth": "%November|December|March",
			"prize": "%50,000|100,000", "founded": "#1961-1998", "other1": "@person", "other2": "@person", "venue2": "@town"},
		head:   []string{"[pol] nominated for [award]", "[pol] among [nominees] nominees for [award]", "[pol] shortlisted for [award]"},
		lead:   []string{"[pol] has been nominated for [award], the prize jury announced on [weekday], citing her campaign {for free school meals|for care for the elderly}.", "[pol] is {among|one of} [nominees] people shortlisted for [award], {according to a list published|the [aw] Foundation said} on [weekday]."},
		detail: []string{"The winner will be named at a ceremony in [venue2] in [ceremmonth].", "{Previous|Past} {winners|laureates} include {judges, doctors and journalists|a former president}.", "The prize {carries|comes with} [prize] and has been awarded every year since [founded].", "{Other nominees|Also nominated} {include|are} [other1] and [other2]."},
		quote:  []string{"pol|{I am honoured|This is a surprise and an honour}, but the recognition belongs to {the families|the volunteers} {I work with|of [city]}", "jury|{She has shown|[pol.last] has shown} {courage|persistence} on behalf of {people who are rarely heard|those with no voice}"},
		recap:  "[pol]'s nomination for [award]",
	},
	"buscrash": {
		vars: map[string]string{"dead": "#9-38", "injured": "#6-30", "pass": "#40-60", "crashtown": "@town", "ravine": "%ravine|river|gorge", "mourn": "%two|three",
			"transmin": "@person", "transmin_r": "the transport minister", "resident": "@person", "resident_r": "who lives near [crashtown]"},
		head:   []string{"Bus {plunges|falls} into [ravine] in [country], killing [dead]", "[dead] dead in [country] bus {crash|disaster} near [crashtown]", "{Bus crash|Road disaster} {kills|leaves} [dead] dead on [crashtown] mountain road"},
		lead:   []string{"A bus carrying [pass] passengers {plunged|fell} into a [ravine] near [crashtown] in [country] on [weekday], killing [dead] people, {police|officials} said.", "At least [dead] people {died|were killed} when a {bus|coach} {travelling|heading} from [crashtown] to [capital] {left|veered off} the road and {fell|rolled} into a [ravine] on [weekday]."},
		detail: []string{"The driver is thought to have lost control on a sharp bend {in heavy rain|at night}, police said.", "{Rescuers|Soldiers and villagers} {used ropes|worked for hours} to {reach|pull out} survivors at the bottom of the [ravine].", "[injured] injured people were {taken|flown} to hospitals in [crashtown] and [capital].", "The government declared [mourn] days of national mourning."},
		quote:  []string{"transmin|{We will find out what happened|An investigation has been ordered}, and those responsible {will be punished|will answer for it}", "resident|{We heard a crash|There was a terrible noise} and {ran down|went down} with torches"},
		recap:  "the bus crash near [crashtown] that killed [dead] people",
	},
	"protest": {
		vars:   map[string]string{"crowd": "#2-20", "arrests": "#10-120", "hurtpol": "#3-25", "protester": "@person", "protester_r": "a student", "intmin": "@person", "intmin_r": "the interior minister"},
		head:   []string{"{Thousands|Protesters} march on [palace]", "Police {fire tear gas|clash with protesters} outside [palace]", "[country] protesters demand {president's resignation|[president] quit}"},
		lead:   []string{"{Thousands of|Several thousand} {protesters|demonstrators} {marched|gathered} outside [palace] on [weekday], demanding the {resignation|departure} of President [president].", "Police {fired tear gas|used water cannon} {against|on} protesters at the gates of [palace] on [weekday] as public anger {boiled over|spilled onto the streets}."},
		detail: []string{"{Police|The interior ministry} said [arrests] people had been {arrested|detained} and [hurtpol] officers {injured|hurt}.", "{Organisers|Protest leaders} put the crowd at [crowd],000; police gave a lower figure.", "{Many|Some} protesters {carried|held} {placards|banners} {with|bearing} {the names of|photographs of} {crash victims|people killed on the roads}.", "The march was called by {student unions|opposition groups} on social media."},
		quote:  []string{"protester|{We are tired of|We have had enough of} {promises|lies}. {We want|We demand} {a government that cares|a new government}", "intmin|{Peaceful protest is a right|Everyone may protest}, but {violence will not be tolerated|we will not allow violence}"},
		recap:  "the protests outside [palace]",
	},
	"fire": {
		vars:   map[string]string{"firefighters": "#40-150", "hours": "#4-20", "street": "@word", "injured": "#2-12", "engines": "#8-30", "radius": "%500|800|1,000"},
		head:   []string{"{Huge|Massive} fire {destroys|guts} [firm] warehouse in [city]", "Firefighters {battle|fight} blaze at [city] factory", "[city] fire: smoke forces {evacuation|school closures}"},
		lead:   []string{"A {large|huge} fire {destroyed|gutted} a warehouse belonging to [firm] in [city] on [weekday], sending {thick black smoke|a plume of smoke} across the town.", "{Firefighters|More than [firefighters] firefighters} {battled|fought} for [hours] hours to bring a blaze at [firm]'s plant on [street] Road in [city] under control on [weekday]."},
		detail: []string{"[firefighters] firefighters and [engines] fire engines were sent to the {scene|site}, the fire service said.", "[injured] people, including two firefighters, {were treated|were taken to hospital} for smoke inhalation.", "Residents within [radius] metres were {told|asked} to keep windows closed because of the smoke.", "The cause of the fire is not yet known{, and police have opened an investigation|}."},
		quote:  []string{"chief|{The building was fully alight|Flames were coming through the roof} when the first crews arrived. {It was a difficult night|Our crews did remarkable work}", "owner|{We are devastated|It is a terrible day for us}. {Thank God no one was killed|Our first thought is with the workers}"},
		recap:  "the fire at the [firm] site in [city]",
	},
	"court": {
		vars:   map[string]string{"sentence": "%four|five|six|seven", "lossk": "#200-900", "lawyer": "@person", "lawyer_r": "the defence lawyer", "trialdays": "#6-20", "witnesses": "#20-45", "judge_r": "the presiding judge"},
		head:   []string{"Former manager jailed over [firm] fire", "[suspect] found guilty of arson over [city] warehouse blaze", "Court jails [firm] manager for [sentence] years"},
		lead:   []string{"A court in [city] on [weekday] sentenced [suspect], a former manager at [firm], to [sentence] years in prison for starting the fire that destroyed the company's warehouse earlier this year.", "[suspect] was found guilty on [weekday] of arson and insurance fraud over the blaze at [firm]'s [city] site and {sentenced|jailed} for [sentence] years."},
		detail: []string{"Prosecutors said [suspect.last] {set the fire|started the blaze} to hide {losses|missing stock} worth about [lossk],000.", "Judge [judge] told the court the fire had put the lives of firefighters in danger.", "[lawyer], [lawyer_r], said they would appeal.", "The trial {lasted|ran for} [trialdays] days and heard from [witnesses] witnesses, including firefighters."},
		quote:  []string{"judge|You {chose to set fire|set fire} to a building next to homes {for money|to save yourself}", "lawyer|{We respect the court|We disagree with the verdict} and {will|intend to} appeal", "chief|{Nothing can undo|This verdict does not undo} what my crews faced that night"},
		recap:  "the conviction of [suspect] over the [firm] fire",
	},
}

type topicPlan struct {
	topic  string
	events []topicEvent
}

// followupPlans: each topic's events, day offsets from the topic's start.
var followupPlans = []topicPlan{
	{"conflict", []topicEvent{{"shelling", 0, nil}, {"mediastrike", 3, nil}, {"talks", 9, nil}, {"ceasefire", 12, nil}}},
	{"conflict", []topicEvent{{"shelling", 0, nil}, {"talks", 15, nil}, {"ceasefire", 19, nil}}},
	{"singer", []topicEvent{{"milestone", 0, map[string]string{"views": "1 million", "elapsed": "five weeks"}}, {"tour", 18, nil}, {"milestone", 130, map[string]string{"views": "5 million", "elapsed": "seven months"}}}},
	{"singer", []topicEvent{{"tour", 0, nil}, {"milestone", 60, map[string]string{"views": "10 million", "elapsed": "six months"}}}},
	{"football", []topicEvent{{"bid", 0, nil}, {"transfer", 7, nil}, {"injury", 40, nil}}},
	{"football", []topicEvent{{"transfer", 0, nil}, {"injury", 25, nil}}},
	{"storm", []topicEvent{{"landfall", 0, nil}, {"aid", 6, nil}}},
	{"merger", []topicEvent{{"merger", 0, nil}, {"probe", 45, nil}, {"jobcuts", 110, nil}}},
	{"election", []topicEvent{{"debate", 0, nil}, {"results", 16, nil}}},
	{"politician", []topicEvent{{"speech", 0, nil}, {"award", 35, nil}}},
	{"country", []topicEvent{{"buscrash", 0, nil}, {"protest", 5, nil}}},
	{"local", []topicEvent{{"fire", 0, nil}, {"court", 70, nil}}},
}

// vocabPairs: each kind is generated as two events on two topics (other
// places and people, sometimes the same country) within a few days.
var vocabPairs = [][2]string{
	{"conflict", "shelling"}, {"storm", "landfall"}, {"country", "buscrash"}, {"country", "protest"},
	{"local", "fire"}, {"local", "court"}, {"football", "transfer"}, {"election", "results"},
	{"merger", "merger"}, {"singer", "milestone"}, {"football", "injury"}, {"conflict", "ceasefire"},
}

var storyBaseDate = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)

type storyGen struct {
	r       *rand.Rand
	used    map[string]bool
	persons map[string]bool // names of people, given in full once per article
	seen    map[string]bool // people named in the current article
}

type genEvent struct {
	id, topic, kind string
	k               storyKind
	t               storyTopic
	v               map[string]string
	date            time.Time
	prev            *genEvent
}

type genArticle struct {
	rec  BenchRecord
	date time.Time
	key  uint64
}

func newStoryGen(seed, stream uint64) *storyGen {
	return &storyGen{r: rand.New(rand.NewPCG(seed, stream)), used: map[string]bool{}, persons: map[string]bool{}, seen: map[string]bool{}}
}

func (g *storyGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

// take returns n distinct elements of xs in random order (all when n is
// larger).
func (g *storyGen) take(xs []string, n int) []string {
	p := g.r.Perm(len(xs))
	out := make([]string, 0, n)
	for _, i := range p[:min(n, len(p))] {
		out = append(out, xs[i])
	}
	return out
}

func splitAlts(s string) []string {
	var out []string
	depth, from := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '|':
			if depth == 0 {
				out = append(out, s[from:i])
				from = i + 1
			}
		}
	}
	return append(out, s[from:])
}

func (g *storyGen) expand(s string, v map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		switch s[i] {
		case '{':
			depth, j := 0, i
			for ; j < len(s); j++ {
				if s[j] == '{' {
					depth++
				} else if s[j] == '}' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			b.WriteString(g.expand(g.pick(splitAlts(s[i+1:j])), v))
			i = j + 1
		case '[':
			j := i + strings.IndexByte(s[i:], ']')
			b.WriteString(g.lookup(s[i+1:j], v))
			i = j + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String()
}

func (g *storyGen) lookup(key string, v map[string]string) string {
	key, mod, _ := strings.Cut(key, ".")
	raw, ok := v[key]
	if !ok {
		panic("storysets: no variable " + key)
	}
	s := g.expand(raw, v)
	switch mod {
	case "last":
		s = s[strings.LastIndexByte(s, ' ')+1:]
	case "cap":
		s = capFirst(s)
	case "":
		if full := s; g.persons[full] {
			if g.seen[full] && g.r.IntN(10) < 7 {
				s = s[strings.LastIndexByte(s, ' ')+1:]
			}
			g.seen[full] = true
		}
	}
	return s
}

func capFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

var (
	firstM    = []string{"Tomas", "Anders", "Marek", "Luca", "Emil", "Jonas", "Rafael", "Oskar", "Dario", "Kasper", "Milan", "Teodor", "Ivo", "Nikolai", "Henrik", "Bastian"}
	firstF    = []string{"Ilse", "Marta", "Lena", "Sofia", "Agnes", "Petra", "Noor", "Clara", "Irina", "Hanna", "Vera", "Daria", "Elin", "Mila", "Tessa", "Rosa"}
	surnameA  = []string{"Var", "Kel", "Dor", "Mas", "Tren", "Hal", "Bro", "Vesk", "Lun", "Ost", "Mir", "Cal", "Sand", "Pel", "Rud", "Fen", "Gar", "Zel"}
	surnameB  = []string{"ga", "en", "ovic", "strand", "ard", "ley", "ski", "ani", "etti", "ow", "er", "sen", "ova", "ez", "ier", "ton"}
	townA     = []string{"Varn", "Kessel", "Brenn", "Alder", "Mor", "Sten", "Ilva", "Tor", "Quen", "Hasp", "Dun", "Calver", "Ros", "Lind", "Orm", "Sal", "Wend", "Feld"}
	townB     = []string{"holt", "mark", "wick", "burg", "ford", "avik", "ona", "stad", "mouth", "dal", "port", "ica", "ene", "heim", "by"}
	countries = [][2]string{{"Belmaria", "Belmarian"}, {"Kradonia", "Kradonian"}, {"Norvania", "Norvanian"}, {"Aurelia", "Aurelian"}, {"Valdoria", "Valdorian"},
		{"Marendia", "Marendian"}, {"Sorvia", "Sorvian"}, {"Eskaria", "Eskarian"}, {"Lutheny", "Luthenian"}, {"Caspara", "Casparan"}, {"Orlesca", "Orlescan"}, {"Tavoria", "Tavorian"}}
	compA   = []string{"Hal", "Nor", "Tel", "Cor", "Ves", "Ambr", "Quor", "Lum", "Stra", "Oph", "Kal", "Bren"}
	compB   = []string{"vex", "brook", "vane", "via", "tra", "ion", "ent", "ica", "ora", "dex"}
	compC   = []string{"Group", "Holdings", "Systems", "", "Industries", "Partners"}
	songA   = []string{"Glass", "Summer", "Paper", "Silver", "Midnight", "Northern", "Quiet", "Electric", "Borrowed", "Salt"}
	songB   = []string{"Harbour", "Letters", "Hearts", "Lights", "Rivers", "Roads", "Season", "Gardens", "Windows", "Tides"}
	smallWd = map[string]bool{"a": true, "an": true, "the": true, "of": true, "in": true, "on": true, "at": true, "for": true, "to": true, "and": true, "as": true, "by": true, "with": true, "from": true, "into": true}
)

// name draws a fresh fictional name of a kind.
func (g *storyGen) name(kind string) string {
	for try := 0; ; try++ {
		var s string
		switch kind {
		case "person":
			s = g.pick(append(append([]string{}, firstM...), firstF...)) + " " + g.pick(surnameA) + g.pick(surnameB)
		case "man":
			s = g.pick(firstM) + " " + g.pick(surnameA) + g.pick(surnameB)
		case "woman":
			s = g.pick(firstF) + " " + g.pick(surnameA) + g.pick(surnameB)
		case "first":
			s = g.pick(append(append([]string{}, firstM...), firstF...))
		case "town":
			s = g.pick(townA) + g.pick(townB)
		case "word":
			s = g.pick(surnameA) + g.pick(townB)
		case "company":
			s = strings.TrimSpace(g.pick(compA) + g.pick(compB) + " " + g.pick(compC))
		case "song":
			s = g.pick(songA) + " " + g.pick(songB)
		default:
			panic("storysets: no name kind " + kind)
		}
		if !g.used[s] || try > 50 {
			g.used[s] = true
			g.persons[s] = kind == "person" || kind == "man" || kind == "woman"
			return s
		}
	}
}

// resolve adds the specs' values to dst, in key order, keeping keys dst
// already has.
func (g *storyGen) resolve(dst, spec map[string]string) {
	keys := make([]string, 0, len(spec))
	for k := range spec {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := spec[k]
		if _, ok := dst[k]; ok {
			continue
		}
		switch {
		case s == "@country":
			for {
				c := countries[g.r.IntN(len(countries))]
				if !slices.Contains(slices.Collect(mapValues(dst)), c[0]) {
					dst[k], dst[k+"_adj"] = c[0], c[1]
					break
				}
			}
		case strings.HasPrefix(s, "@"):
			dst[k] = g.name(s[1:])
		case strings.HasPrefix(s, "#"):
			lo, hi, _ := strings.Cut(s[1:], "-")
			a, _ := strconv.Atoi(lo)
			b, _ := strconv.Atoi(hi)
			dst[k] = strconv.Itoa(a + g.r.IntN(b-a+1))
		case strings.HasPrefix(s, "%"):
			dst[k] = g.pick(splitAlts(s[1:]))
		default:
			dst[k] = s
		}
	}
}

func mapValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func (g *storyGen) topicVars(topic string, preset map[string]string) map[string]string {
	v := map[string]string{}
	for k, x := range preset {
		v[k] = x
	}
	g.resolve(v, storyTopics[topic].vars)
	g.resolve(v, baseTopicVars)
	return v
}

func (g *storyGen) event(id, topic string, te topicEvent, tv map[string]string, date time.Time, prev *genEvent) *genEvent {
	v := make(map[string]string, len(tv)+16)
	for k, x := range tv {
		v[k] = x
	}
	g.resolve(v, te.vars)
	g.resolve(v, storyKinds[te.kind].vars)
	v["weekday"] = date.Weekday().String()
	return &genEvent{id: id, topic: topic, kind: te.kind, k: storyKinds[te.kind], t: storyTopics[topic], v: v, date: date, prev: prev}
}

func (g *storyGen) quote(q string, v map[string]string, short bool) string {
	spk, content, _ := strings.Cut(q, "|")
	c := capFirst(g.expand(content, v))
	n := g.lookup(spk, v)
	if short {
		return fmt.Sprintf("%s: \"%s\"", n, c)
	}
	role := ""
	if _, ok := v[spk+"_r"]; ok {
		role = ", " + g.lookup(spk+"_r", v)
	}
	comma := ","
	if strings.HasSuffix(c, "?") {
		comma = ""
	}
	switch g.r.IntN(4) {
	case 0:
		return fmt.Sprintf("\"%s%s\" said %s%s.", c, comma, n, role)
	case 1:
		return fmt.Sprintf("\"%s%s\" %s said.", c, comma, n)
	case 2:
		if !strings.HasSuffix(c, "?") {
			c += "."
		}
		return fmt.Sprintf("%s%s, said: \"%s\"", n, role, c)
	}
	return fmt.Sprintf("\"%s%s\" %s told reporters.", c, comma, n)
}

func agoWords(days int) string {
	nums := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	switch {
	case days <= 1:
		return "a day"
	case days < 7:
		return nums[days] + " days"
	case days < 11:
		return "a week"
	case days < 25:
		return nums[(days+3)/7] + " weeks"
	case days < 45:
		return "a month"
	}
	return nums[min((days+15)/30, 12)] + " months"
}

// Article types.
const (
	artNews = iota
	artReactions
	artAnalysis
	artLive
	artBrief
)

// article writes one article of type typ on event e for outlet o.
func (g *storyGen) article(e *genEvent, typ int, o storyOutlet) (string, []string) {
	v := e.v
	x := func(s string) string { return capFirst(g.expand(s, v)) }
	xs := func(ts []string, n int) []string {
		out := g.take(ts, n)
		for i := range out {
			out[i] = x(out[i])
		}
		return out
	}
	quotes := func(n int, short bool) []string {
		var out []string
		for _, q := range g.take(e.k.quote, n) {
			out = append(out, g.quote(q, v, short))
		}
		return out
	}
	var back string
	if e.prev != nil {
		ago, pr := agoWords(int(e.date.Sub(e.prev.date).Hours()/24)), g.expand(e.prev.k.recap, e.prev.v)
		back = g.pick([]string{
			"It comes " + ago + " after " + pr + ".",
			"That follows " + pr + " " + ago + " earlier.",
			"Only " + ago + " ago, attention was on " + pr + ".",
		})
	}
	head := x(g.pick(e.k.head))
	clear(g.seen)
	lead := x(g.pick(e.k.lead))
	var paras []string
	switch typ {
	case artNews, artBrief:
		if g.r.IntN(3) == 0 {
			lead = strings.ToUpper(g.lookup("where", v)) + " — " + lead
		}
		if typ == artBrief {
			paras = append([]string{lead}, xs(e.k.detail, 1+g.r.IntN(2))...)
			paras = append(paras, quotes(1, false)...)
			paras = append(paras, xs(e.t.bg, 1)...)
			break
		}
		body := append(xs(e.k.detail, 2+g.r.IntN(3)), quotes(1+g.r.IntN(3), false)...)
		g.r.Shuffle(len(body)-1, func(i, j int) { body[i+1], body[j+1] = body[j+1], body[i+1] })
		if g.r.IntN(3) == 0 {
			lead += " " + body[0]
			body = body[1:]
		}
		paras = append([]string{lead}, body...)
		if back != "" && g.r.IntN(5) < 3 {
			paras = append(paras, back)
		}
		paras = append(paras, xs(e.t.bg, 1+g.r.IntN(3))...)
	case artReactions:
		open := lead
		if len(e.k.react) > 0 && g.r.IntN(3) > 0 {
			open = x(g.pick(e.k.react))
		}
		paras = append([]string{open}, quotes(len(e.k.quote), false)...)
		paras = append(paras, xs(e.k.detail, 1)...)
		if back != "" && g.r.IntN(2) == 0 {
			paras = append(paras, back)
		}
		paras = append(paras, xs(e.t.bg, 1+g.r.IntN(2))...)
		if g.r.IntN(2) == 0 {
			head = quotes(1, true)[0]
		}
	case artAnalysis:
		paras = xs(e.t.angle, 2+g.r.IntN(2))
		if g.r.IntN(2) == 0 { // half open on the event, half on the topic
			paras = append([]string{lead}, paras...)
		}
		paras = append(paras, xs(e.k.detail, 1+g.r.IntN(2))...)
		if back != "" {
			paras = append(paras, back)
		}
		paras = append(paras, xs(e.t.bg, 2+g.r.IntN(2))...)
		paras = append(paras, quotes(g.r.IntN(2), false)...)
		if g.r.IntN(2) == 0 {
			head = "Analysis: " + head
		} else {
			head = "What " + g.expand(e.k.recap, v) + " means for " + g.lookup("focus", v)
		}
	case artLive:
		entries := append([]string{lead}, xs(e.k.detail, 3+g.r.IntN(3))...)
		entries = append(entries, quotes(len(e.k.quote), true)...)
		if g.r.IntN(2) == 0 {
			entries = append(entries, xs(e.t.bg, 1)...)
		}
		g.r.Shuffle(len(entries)-1, func(i, j int) { entries[i+1], entries[j+1] = entries[j+1], entries[i+1] })
		entries = append([]string{"{Welcome to our live coverage of|We are following} " + g.expand(e.k.recap, v) + "."}, entries...)
		m := 6*60 + g.r.IntN(10*60)
		for _, s := range entries {
			paras = append(paras, fmt.Sprintf("%02d:%02d %s", m/60, m%60, x(s)))
			m += 5 + g.r.IntN(40)
		}
		slices.Reverse(paras)
		head = g.pick([]string{"Live: ", "Live updates: ", "As it happened: "}) + head
	}
	for i := range paras {
		paras[i] = strings.ReplaceAll(paras[i], "s's ", "s' ")
	}
	head = strings.ReplaceAll(head, "s's ", "s' ")
	switch o.style {
	case 1:
		w := strings.Fields(head)
		for i := range w {
			if i == 0 || !smallWd[w[i]] {
				w[i] = capFirst(w[i])
			}
		}
		head = strings.Join(w, " ")
	case 2:
		head += " | " + o.name
	case 3:
		head += " - " + o.name
	}
	return head, paras
}

func slugOf(title string) string {
	var w []string
	for _, f := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		if len(w) < 8 {
			w = append(w, f)
		}
	}
	return strings.Join(w, "-")
}

// articles writes n articles on e, from different outlets, in a mix of
// types (all five in turn when mixAll).
func (g *storyGen) articles(e *genEvent, n int, dated, mixAll bool, set string) []genArticle {
	outlets := g.r.Perm(len(storyOutlets))
	types := []int{artNews, artReactions, artAnalysis, artLive, artBrief}
	g.r.Shuffle(len(types), func(i, j int) { types[i], types[j] = types[j], types[i] })
	var out []genArticle
	for i := range n {
		typ := []int{artNews, artNews, artNews, artReactions, artReactions, artAnalysis, artLive, artBrief, artBrief}[g.r.IntN(9)]
		if i == 0 {
			typ = artNews
		} else if mixAll {
			typ = types[i%len(types)]
		}
		o := storyOutlets[outlets[i%len(outlets)]]
		title, paras := g.article(e, typ, o)
		date := e.date
		switch typ {
		case artNews:
			date = date.AddDate(0, 0, g.r.IntN(2))
		case artReactions, artAnalysis:
			date = date.AddDate(0, 0, g.r.IntN(3))
		}
		sect := g.pick(e.t.sect)
		if typ == artLive {
			sect = "live"
		}
		u := "https://" + o.domain + "/" + sect + "/"
		if dated {
			u += date.Format("2006/01/02") + "/"
		}
		u += slugOf(title) + "-" + strconv.Itoa(10000+g.r.IntN(90000))
		out = append(out, genArticle{
			rec:  BenchRecord{Cluster: set + ":" + e.id, Event: e.topic + "/" + e.kind, Title: title, Text: strings.Join(paras, "\n\n"), URL: u},
			date: date, key: g.r.Uint64(),
		})
	}
	return out
}

// finish orders the articles as a stream (by day) and numbers them.
func finish(arts []genArticle, prefix string) []BenchRecord {
	sort.SliceStable(arts, func(i, j int) bool {
		if !arts[i].date.Equal(arts[j].date) {
			return arts[i].date.Before(arts[j].date)
		}
		return arts[i].key < arts[j].key
	})
	out := make([]BenchRecord, len(arts))
	for i, a := range arts {
		out[i] = a.rec
		out[i].ID = fmt.Sprintf("%s-%04d", prefix, i)
	}
	return out
}

// singles adds n unrelated one-article events.
func (g *storyGen) singles(n, span int, dated bool, set string) []genArticle {
	var out []genArticle
	for i := range n {
		p := followupPlans[g.r.IntN(len(followupPlans))]
		te := p.events[g.r.IntN(len(p.events))]
		te.vars = nil
		e := g.event(fmt.Sprintf("single%02d", i), p.topic, te, g.topicVars(p.topic, nil), storyBaseDate.AddDate(0, 0, g.r.IntN(span)), nil)
		out = append(out, g.articles(e, 1, dated, false, set)...)
	}
	return out
}

// followupSet: topics with follow-up events days to months apart.
func followupSet(seed uint64, dated bool) []BenchRecord {
	g := newStoryGen(seed, 0x5eed_f011)
	var arts []genArticle
	for ti, p := range followupPlans {
		tv := g.topicVars(p.topic, nil)
		start := storyBaseDate.AddDate(0, 0, g.r.IntN(90))
		var prev *genEvent
		for ei, te := range p.events {
			e := g.event(fmt.Sprintf("t%02de%d", ti, ei), p.topic, te, tv, start.AddDate(0, 0, te.day), prev)
			n := 3 + g.r.IntN(6)
			if g.r.IntN(6) == 0 {
				n = 2
			}
			arts = append(arts, g.articles(e, n, dated, false, "followups")...)
			prev = e
		}
	}
	arts = append(arts, g.singles(10, 200, dated, "followups")...)
	return finish(arts, "fu")
}

// vocabSet: events told in many voices, each beside a look-alike event of
// the same kind elsewhere in the same week.
func vocabSet(seed uint64) []BenchRecord {
	g := newStoryGen(seed, 0x5eed_b0ca)
	var arts []genArticle
	for pi, p := range vocabPairs {
		day := g.r.IntN(60)
		var first map[string]string
		for j := range 2 {
			var preset map[string]string
			if j == 1 && g.r.IntN(2) == 0 {
				preset = map[string]string{}
				for _, k := range []string{"country", "country_adj", "pm", "minister", "president", "capital"} {
					if x, ok := first[k]; ok {
						preset[k] = x
					}
				}
			}
			tv := g.topicVars(p[0], preset)
			first = tv
			e := g.event(fmt.Sprintf("p%02d%c", pi, 'a'+j), p[0], topicEvent{kind: p[1]}, tv, storyBaseDate.AddDate(0, 0, day+g.r.IntN(4)), nil)
			arts = append(arts, g.articles(e, 4+g.r.IntN(7), true, true, "vocab")...)
		}
	}
	arts = append(arts, g.singles(6, 70, true, "vocab")...)
	return finish(arts, "vo")
}
