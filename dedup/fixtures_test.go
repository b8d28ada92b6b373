package dedup

import "strings"

// Fictional articles written for these tests. Places, people and events are
// invented.

// bridgeParas is a wire article about a bridge closure in the invented town
// of Marrowby.
var bridgeParas = []string{
	"Engineers closed the Kestrel Bridge in Marrowby on Tuesday after inspectors found cracks spreading through two of its steel support piers, cutting the main road link between the harbour and the eastern estates.",
	"The county transport office said the crossing, which carries about eighteen thousand vehicles a day, would stay shut for at least three weeks while divers examined the foundations beneath the river Wend.",
	"Council leader Agnes Tollemache told a packed meeting at the town hall that the decision had been taken with great reluctance but that nobody could be asked to drive across a structure that might fail without warning.",
	"Traders on Quay Street reported an immediate fall in customers, with several cafes saying takings had halved by lunchtime as traffic queued for forty minutes on the diversion through the northern ring road.",
	"A temporary ferry service between the harbour steps and the old grain wharf will begin running on Thursday morning, carrying foot passengers and bicycles every fifteen minutes from six in the morning until ten at night.",
	"The bridge was built in 1962 and last underwent major repairs eleven years ago, when its deck was resurfaced and new expansion joints fitted at a cost of four million pounds to the county.",
	"Inspectors from the regional structures unit said the cracks appeared to have grown rapidly during the cold snap in February, when temperatures in the valley fell below minus twelve degrees for nine consecutive nights.",
	"Emergency services have agreed a plan to station an ambulance and a fire crew on the eastern side of the river for the duration of the closure, so that response times for the estates do not suffer.",
	"Local schools said pupils from the eastern estates would be allowed to arrive late without penalty while buses adjusted their timetables to the longer route around the valley floor.",
	"A full structural report is expected by the end of the month, after which the council will decide whether the bridge can be repaired or must be replaced with a new crossing altogether.",
}

// bridgeOther is a different article about the same closure, sharing a
// quoted paragraph with bridgeParas: a hard negative for copy detection.
var bridgeOther = []string{
	"Shopkeepers in Marrowby fear the summer season is already lost after the sudden closure of the Kestrel Bridge left visitors facing long detours to reach the waterfront.",
	"Council leader Agnes Tollemache told a packed meeting at the town hall that the decision had been taken with great reluctance but that nobody could be asked to drive across a structure that might fail without warning.",
	"At the Blue Gull bakery, owner Petra Linwood counted just nine customers before noon, against the usual sixty, and said she would cut opening hours if the crossing stayed shut into the school holidays.",
	"The chamber of commerce has written to the regional minister asking for an emergency fund to cover lost trade, arguing that small firms cannot absorb weeks of reduced footfall after a difficult winter.",
	"Residents of the eastern estates said the diversion added up to an hour to their daily commute, and several called for the ferry to run later into the evening for shift workers at the hospital.",
	"Ms Linwood said the mood on Quay Street was grim but that traders would organise a weekend market on the harbour front to remind people the shops were still open for business.",
}

// chessParas is an unrelated article.
var chessParas = []string{
	"Fourteen-year-old Ilse Varga won the Northmoor open chess championship on Sunday, beating three grandmasters on her way to the title in a tournament that drew two hundred players from eleven countries.",
	"Varga, who learned the game from her grandfather in a village library, clinched first place with a quiet endgame win against the defending champion after more than six hours of play.",
	"The organisers said entries had doubled since last year, helped by a new junior section and a live broadcast of the top boards that attracted forty thousand viewers online.",
	"Her coach said the prize money would pay for a training camp in the autumn and that the young player hoped to compete in the continental youth championship next spring.",
	"The tournament director praised the sporting spirit of the event and confirmed that Northmoor would host the championship again next year in the newly restored corn exchange.",
}

func join(paras []string) string { return strings.Join(paras, "\n\n") }
