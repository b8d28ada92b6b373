package enrich

import "strings"

// The word lists below are the package's only knowledge of the world. Keys
// are in entity-key form (see entityKey): lower case, diacritics folded,
// hyphens as spaces, periods dropped. They are built once at init and only
// read afterwards, so the package is safe for concurrent use.

func set(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, w := range strings.Split(l, "|") {
			w = strings.TrimSpace(w)
			if w != "" {
				m[w] = true
			}
		}
	}
	return m
}

// places is a small gazetteer of countries, regions, capitals, large cities
// and US states.
var places = set(`afghanistan|albania|algeria|andorra|angola|argentina|armenia|australia|austria|azerbaijan|
bahamas|bahrain|bangladesh|barbados|belarus|belgium|belize|benin|bhutan|bolivia|bosnia|bosnia and herzegovina|
botswana|brazil|brunei|bulgaria|burkina faso|burundi|cambodia|cameroon|canada|chad|chile|china|colombia|comoros|
congo|costa rica|croatia|cuba|cyprus|czechia|czech republic|denmark|djibouti|dominica|dominican republic|ecuador|
egypt|el salvador|eritrea|estonia|eswatini|ethiopia|fiji|finland|france|gabon|gambia|georgia|germany|ghana|greece|
grenada|guatemala|guinea|guinea bissau|guyana|haiti|honduras|hungary|iceland|india|indonesia|iran|iraq|ireland|
israel|italy|ivory coast|jamaica|japan|jordan|kazakhstan|kenya|kiribati|kosovo|kuwait|kyrgyzstan|laos|latvia|
lebanon|lesotho|liberia|libya|liechtenstein|lithuania|luxembourg|madagascar|malawi|malaysia|maldives|mali|malta|
mauritania|mauritius|mexico|moldova|monaco|mongolia|montenegro|morocco|mozambique|myanmar|burma|namibia|nauru|
nepal|netherlands|holland|new zealand|nicaragua|niger|nigeria|north korea|south korea|korea|north macedonia|
macedonia|norway|oman|pakistan|palau|palestine|panama|papua new guinea|paraguay|peru|philippines|poland|portugal|
qatar|romania|russia|russian federation|rwanda|samoa|san marino|saudi arabia|senegal|serbia|seychelles|
sierra leone|singapore|slovakia|slovenia|somalia|south africa|south sudan|spain|sri lanka|sudan|suriname|sweden|
switzerland|syria|taiwan|tajikistan|tanzania|thailand|togo|tonga|trinidad|trinidad and tobago|tunisia|turkey|
turkiye|turkmenistan|tuvalu|uganda|ukraine|united arab emirates|uae|united kingdom|uk|britain|great britain|
england|scotland|wales|northern ireland|united states|united states of america|us|usa|america|uruguay|uzbekistan|
vanuatu|vatican|venezuela|vietnam|viet nam|yemen|zambia|zimbabwe|deutschland|frankreich|espana|italia|rossiya|`,
	`gaza|gaza strip|west bank|crimea|donbas|donbass|kashmir|hong kong|macau|tibet|xinjiang|greenland|puerto rico|
europe|asia|africa|antarctica|oceania|north america|south america|latin america|middle east|balkans|caucasus|
scandinavia|siberia|arctic|sahel|kurdistan|catalonia|bavaria|siberia|pacific|atlantic|mediterranean|baltic|
black sea|red sea|south china sea|persian gulf|korean peninsula|sinai|golan heights|chechnya|transnistria|`,
	`kabul|tirana|algiers|luanda|buenos aires|yerevan|canberra|sydney|melbourne|vienna|baku|manama|dhaka|minsk|
brussels|la paz|brasilia|rio de janeiro|sao paulo|sofia|phnom penh|ottawa|toronto|montreal|vancouver|santiago|
beijing|shanghai|shenzhen|guangzhou|wuhan|bogota|havana|nicosia|prague|copenhagen|cairo|alexandria|tallinn|
addis ababa|helsinki|paris|marseille|lyon|berlin|munich|hamburg|frankfurt|cologne|accra|athens|budapest|
reykjavik|new delhi|delhi|mumbai|kolkata|bangalore|chennai|jakarta|tehran|baghdad|dublin|jerusalem|tel aviv|
rome|milan|naples|tokyo|osaka|kyoto|amman|astana|almaty|nairobi|pristina|bishkek|vientiane|riga|beirut|tripoli|
vilnius|kuala lumpur|bamako|valletta|mexico city|chisinau|ulaanbaatar|podgorica|rabat|casablanca|maputo|
naypyidaw|yangon|windhoek|kathmandu|amsterdam|the hague|rotterdam|wellington|auckland|managua|niamey|abuja|lagos|
pyongyang|oslo|muscat|islamabad|karachi|lahore|ramallah|asuncion|lima|manila|warsaw|krakow|lisbon|doha|
bucharest|moscow|st petersburg|saint petersburg|kigali|riyadh|jeddah|mecca|dakar|belgrade|bratislava|ljubljana|
mogadishu|pretoria|johannesburg|cape town|seoul|busan|juba|madrid|barcelona|colombo|khartoum|stockholm|bern|
geneva|zurich|damascus|aleppo|taipei|dushanbe|dodoma|bangkok|lome|tunis|ankara|istanbul|ashgabat|kampala|kyiv|
kiev|kharkiv|odesa|odessa|lviv|mariupol|abu dhabi|dubai|london|manchester|birmingham|liverpool|edinburgh|glasgow|
cardiff|belfast|washington|new york|new york city|los angeles|chicago|houston|san francisco|boston|miami|
seattle|atlanta|dallas|philadelphia|detroit|las vegas|montevideo|tashkent|caracas|hanoi|ho chi minh city|saigon|
sanaa|lusaka|harare|strasbourg|hiroshima|nagasaki|okinawa|vladivostok|brussel|wien|munchen|roma|milano|napoli|
lisboa|warszawa|praha|moskau|moscou|pekin|londres|sevastopol|kherson|zaporizhzhia|donetsk|luhansk|bakhmut|
avdiivka|belgorod|kursk|rafah|khan younis|jenin|hebron|haifa|mosul|basra|kandahar|herat|tbilisi|chisinau|`,
	`alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|hawaii|idaho|illinois|indiana|
iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|
nebraska|nevada|new hampshire|new jersey|new mexico|north carolina|north dakota|ohio|oklahoma|oregon|
pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|west virginia|
wisconsin|wyoming`)

// orgs is a small gazetteer of organisations usually written without a
// telling suffix.
var orgs = set(`kremlin|white house|pentagon|nato|otan|un|united nations|eu|european union|european commission|
who|imf|world bank|opec|asean|g7|g20|interpol|fbi|cia|nsa|kgb|fsb|gru|mi5|mi6|bbc|cnn|reuters|afp|ap|xinhua|
tass|ria novosti|kcna|yonhap|al jazeera|hamas|hezbollah|taliban|isis|al qaeda|houthis|wagner|google|microsoft|
facebook|meta|twitter|openai|tesla|nasa|esa|congress|parliament|senate|bundestag|bundesrat|duma|state duma|
knesset|politburo|red cross|unicef|unesco|unhcr|wto|iaea|icc|icj|oecd|african union|ecb|federal reserve|
bundeswehr|gazprom|rosneft|samsung|toyota|volkswagen|airbus|boeing|nhs|cdc|sec|doj|fifa|uefa|ioc`)

// demonyms are adjectives of nationality, region or faith. A segment made
// only of these (and compass words) is not an entity.
var demonyms = set(`russian|russians|vietnamese|ukrainian|ukrainians|american|americans|british|chinese|japanese|
korean|koreans|french|german|germans|italian|italians|spanish|portuguese|indian|indians|pakistani|iranian|
iraqi|israeli|israelis|palestinian|palestinians|syrian|turkish|saudi|egyptian|brazilian|mexican|canadian|
australian|european|europeans|african|asian|soviet|arab|arabs|muslim|muslims|christian|christians|jewish|
catholic|buddhist|hindu|islamic|english|scottish|welsh|irish|dutch|swedish|norwegian|danish|finnish|polish|
greek|belarusian|georgian|armenian|afghan|thai|filipino|indonesian|malaysian|nigerian|kenyan|ethiopian|
sudanese|lebanese|jordanian|emirati|qatari|yemeni|libyan|tunisian|moroccan|algerian|cuban|venezuelan|
colombian|argentine|argentinian|chilean|peruvian|swiss|austrian|belgian|hungarian|czech|slovak|romanian|
bulgarian|serbian|croatian|taiwanese|mongolian|kazakh|uzbek|latin|western|eastern|northern|southern|
communist|socialist|conservative|liberal|democratic|republican|orthodox|sunni|shia|shiite|kurdish|
north|south|east|west|central|francais|deutsch|deutsche|deutschen|russe|russo|ruso|americain|europeen`)

// compass words may precede a demonym ("North Korean").
var compass = set(`north|south|east|west|northern|southern|eastern|western|central|upper|lower|greater`)

// titlesCore are words that, capitalized before a name, make it a person.
var titlesCore = set(`president|president elect|minister|premier|chancellor|secretary|secretary general|
ambassador|senator|sen|congressman|congresswoman|rep|governor|gov|mayor|king|queen|prince|princess|emperor|
empress|pope|sheikh|sheikha|emir|sultan|general|gen|admiral|adm|colonel|col|captain|capt|lieutenant|lt|
sergeant|sgt|commander|cmdr|marshal|judge|justice|professor|prof|dr|doctor|mr|mrs|ms|miss|mx|sir|dame|lord|
lady|baroness|baron|rev|reverend|bishop|archbishop|cardinal|rabbi|imam|ayatollah|chairman|chairwoman|
chairperson|director|spokesman|spokeswoman|spokesperson|leader|chief|ceo|speaker|commissioner|detective|det|
inspector|insp|superintendent|supt|constable|coach|executive|envoy|herr|frau|monsieur|madame|mme|mlle|senor|
senora|sra|presidente|presidenta|prasident|prasidentin|bundeskanzler|bundeskanzlerin|kanzler|kanzlerin|
ministro|ministra|ministre|signor|signora|dott|comrade|mp|mep|buergermeister|burgermeister|
burgermeisterin|oberburgermeister|oberburgermeisterin|ministerprasident|ministerprasidentin|ministerin|
herausforderer|herausfordererin|sprecher|sprecherin|vorsitzende|vorsitzender|chef|chefin|trainer|trainerin|
abgeordnete|abgeordneter|kandidat|kandidatin|landrat|landratin|staatssekretar|staatssekretarin|botschafter|
botschafterin|generalsekretar|generalsekretarin|konig|konigin|maire|depute|deputee|alcalde|alcaldesa|
sindaco|diputado|diputada|senadora|senador|embajador|ambassadeur`)

// titlesMod are words that form a title only with a following core title
// ("Prime Minister", "Foreign Secretary").
var titlesMod = set(`vice|prime|deputy|acting|interim|foreign|defence|defense|finance|home|health|interior|
supreme|crown|grand|former|first|senior|assistant|associate|chief|general|junior|opposition|
presidential|attorney|solicitor|lord|high|special|trade|economy|culture|education|justice|energy|transport`)

// roleNouns, lower case right before a name, mark it as a person
// ("North Korean leader Kim Jong Un").
var roleNouns = set(`president|minister|leader|spokesman|spokeswoman|spokesperson|ambassador|secretary|chairman|
chairwoman|chair|chief|director|envoy|senator|governor|mayor|premier|chancellor|general|commander|officer|ceo|
founder|professor|analyst|economist|lawyer|attorney|judge|author|writer|journalist|correspondent|editor|
reporter|actor|actress|singer|star|player|striker|coach|manager|captain|counterpart|wife|husband|son|daughter|
mother|father|brother|sister|friend|ally|rival|dictator|despot|king|queen|prince|princess|pope|diplomat|
negotiator|lawmaker|mp|congressman|congresswoman|candidate|nominee|businessman|businesswoman|billionaire|
tycoon|activist|dissident|defender|midfielder|goalkeeper|presenter|host|researcher|scientist|doctor|dr|
colleague|predecessor|successor|deputy|aide|adviser|advisor|official|prosecutor|investigator|detective|
inspector|sergeant|lieutenant|colonel|admiral|marshal|emir|sheikh|sultan|prime|owner|boss|director-general|
spokesmen|premier|mr|mrs|ms|sir|dame|lord|lady|herr|frau|monsieur|madame`)

// domainWords follow "Minister of" / "Secretary of" before the holder's name.
var domainWords = set(`state|defence|defense|foreign|affairs|finance|health|education|justice|interior|trade|
commerce|energy|agriculture|labour|labor|transport|transportation|home|economy|culture|environment|science|
technology|treasury|homeland|security|the|industry|tourism|sport|sports|information|communications|housing|
war|veterans|development|planning|internal|external`)

// orgSuffix words end organisation names.
var orgSuffix = set(`party|ministry|embassy|consulate|agency|inc|ltd|llc|plc|corp|corporation|company|co|group|
holdings|university|universitat|universite|universidad|council|bank|committee|commission|department|
institute|institution|association|union|federation|foundation|organisation|organization|court|police|army|
navy|guard|forces|parliament|congress|senate|assembly|times|post|mail|news|herald|journal|telegraph|tribune|
gazette|chronicle|service|services|authority|board|league|club|fc|network|airlines|airways|bureau|fund|trust|
society|college|school|academy|hospital|museum|church|cabinet|government|administration|secretariat|
directorate|alliance|coalition|front|movement|brigade|battalion|regiment|command|centre|center|motors|electric|
technologies|systems|labs|media|press|television|tv|radio|broadcasting|studios|records|pharmaceuticals|
partners|securities|exchange|reserve|office|gmbh|ag|sa|spa|nv|bv|ab|asa|oyj|partei|athletic|rovers|wanderers|rangers|united|hotspur|albion|ministerium|regierung|
gouvernement|gobierno|ministerio|ministere|agence|agentur|times|ventures|industries|enterprises|bank|fc|
council|tribunal|prosecutor's|prosecutors|brotherhood|faction|cartel|gang|unit|squad|team|orchestra|band`)

// orgHead words start organisation names joined with "of".
var orgHead = set(`university|ministry|department|bank|church|house|court|chamber|institute|museum|council|
college|school|academy|federation|union|league|association|society|office|board|commission|committee|
organisation|organization|order|party|federal|national|chamber`)

// placeSuffix words end place names.
var placeSuffix = set(`island|islands|river|mountains|mountain|sea|ocean|gulf|bay|strait|straits|peninsula|valley|
desert|province|county|city|region|district|street|avenue|road|square|airport|bridge|coast|beach|canyon|
highlands|heights|hall|plateau|delta|basin|oblast|prefecture|krai|village|town|lake|falls|forest|harbour|harbor|
port|canal|archipelago|hills|park|strasse|platz`)

// ofHeads may be followed by "of" (or "of the") inside one name.
var ofHeads = set(`university|ministry|department|bank|church|house|court|chamber|institute|museum|republic|
kingdom|gulf|bay|isle|sea|strait|council|college|school|academy|federation|union|league|association|society|
office|board|commission|committee|organisation|organization|city|port|bank|state|states|emirates|sultanate|
duchy|province|cape|order|tower|palace|cathedral|statue|battle|treaty|declaration|bill|museum|mayor|sisters|
brotherhood|friends|army|navy|party|coalition|alliance|festival|people`)

// joiners are lower-case particles inside personal and place names.
var joiners = set(`de|del|della|der|den|di|da|das|do|dos|du|van|von|ter|ten|zu|bin|bint|ibn|al|el|la|le|y|e|
st|ben|abu|ul|ud|bn`)

// givenNames are common first names in many languages; a multi-word name
// starting with one is a person.
var givenNames = set(`vladimir|joe|donald|barack|emmanuel|olaf|angela|boris|rishi|keir|justin|narendra|recep|
benjamin|volodymyr|sergei|sergey|dmitry|dmitri|alexei|alexey|alexander|alexandre|alejandro|antony|anthony|
john|james|michael|david|robert|william|richard|thomas|charles|mary|elizabeth|jennifer|sarah|emma|anna|maria|
marie|jean|pierre|jacques|francois|hans|peter|paul|mark|mike|george|jack|harry|kamala|hillary|nancy|ursula|
giorgia|mario|pedro|jose|juan|carlos|luis|luiz|ali|mohammed|muhammad|mohamed|ahmed|ahmad|hassan|hussein|
omar|abdul|abdullah|ibrahim|yusuf|fatima|aisha|ivan|igor|oleg|yuri|nikolai|viktor|andrzej|jens|mette|
gennady|gennadiy|sergio|marco|luca|giuseppe|francesco|antonio|manuel|miguel|javier|ana|carmen|sofia|olga|
tatiana|natalia|elena|irina|svetlana|yulia|andrei|andrey|mikhail|pavel|nikita|hideo|shinzo|fumio|yoshihide|
rodrigo|ferdinand|jair|lula|gustavo|claudia|javier|xavier|helmut|gerhard|frank|friedrich|wolfgang|karl|
heinz|klaus|jurgen|annalena|christian|markus|sebastian|stefan|thomas|martin|laura|julia|lisa|susan|karen|
linda|barbara|patricia|margaret|theresa|nicola|liz|jeremy|tony|gordon|david|nick|ed|ben|sam|tom|dan|daniel|
matthew|andrew|joseph|steven|stephen|kevin|brian|edward|ronald|kenneth|jason|jeffrey|ryan|gary|eric|
jonathan|scott|larry|timothy|jose|samuel|gregory|alexander|patrick|dennis|jerry|tyler|aaron|henry|douglas|
nathan|zachary|kyle|noah|ethan|jeremy|walter|christopher|emily|olivia|sophia|isabella|chloe|grace|hannah|
rachel|rebecca|katherine|catherine|kate|jane|helen|ruth|alice|amy|anne|joan|diana|camilla|meghan|kim|
volker|ursula|kaja|mark|josep|antonio|charles|xi|li|wang|moon|yoon|lee|park`)

// familyFirst are family names written first (Korean, Vietnamese, Chinese):
// a multi-word name starting with one is a person.
var familyFirst = set(`kim|lee|park|choi|jung|kang|cho|yoon|jang|lim|han|moon|nguyen|tran|le|pham|hoang|huynh|
phan|vu|vo|dang|bui|ho|ngo|duong|ly|to|wang|li|zhang|liu|chen|yang|huang|zhao|wu|zhou|xu|sun|ma|zhu|hu|guo|
lin|luo|xi|deng|mao|jiang|hun|kishida|abe`)

// speechVerbs introduce or close a quotation.
var speechVerbs = set(`said|says|say|saying|told|tells|tell|telling|added|adds|adding|declared|declares|
declaring|stated|states|insisted|insists|insisting|warned|warns|warning|explained|explains|noted|wrote|
writes|writing|asked|asks|replied|replies|claimed|claims|claiming|argued|argues|arguing|announced|announces|
admitted|admits|vowed|vows|vowing|urged|urges|commented|remarked|concluded|confirmed|confirms|recalled|
tweeted|posted|responded|countered|stressed|stresses|emphasised|emphasized|acknowledged|predicted|described|
describes|describing|called|calls|calling|hailed|hails|praised|thanked|promised|pledged|quipped|joked|
shouted|yelled|whispered|cried|wrote|conceded|boasted|lamented|complained|alleged|accused|denied|denies|
suggested|suggests|reported|reports|announced|continued|went on|sagte|sagt|erklarte|betonte|dijo|afirmo|
declaro|senalo|aseguro|explico|a dit|disse|dit|declare|affirme|ha detto|ha dichiarato|zei|sa|sade`)

// invertVerbs may precede their subject: "said Putin".
var invertVerbs = set(`said|says|added|adds|asked|asks|wrote|writes|replied|continued|explained|insisted|warned|
noted|recalled|declared|stated|argued|claimed|conceded|quipped|joked|concluded|announced|confirmed|admitted|
acknowledged|stressed|tweeted|posted|responded|countered|complained|lamented|boasted|shouted|cried|remarked|
commented|sagte|sagt|erklarte|betonte|dijo|afirmo|declaro|senalo|aseguro|explico|disse|dit|declare|affirme|
zei|sa|sade`)

// corpSuffix words end company names that are also written without them
// ("Quillfeather Inc." and "Quillfeather").
var corpSuffix = set(`inc|ltd|llc|plc|corp|corporation|co|group|ag|gmbh|sa|spa|nv|bv|holdings|limited`)

// pronouns that can stand for a speaker.
var pronouns = set(`he|she`)

// common holds words that, capitalized at a sentence start, are not names.
var common = set(`a|an|the|this|that|these|those|it|its|it's|he|she|they|we|i|you|his|her|their|our|my|your|
there|here|then|but|and|or|so|yet|if|when|while|after|before|as|at|in|on|by|for|from|with|without|of|to|into|
like|unlike|such|some|many|most|more|all|both|each|every|no|not|none|one|two|three|four|five|six|seven|eight|
nine|ten|perhaps|also|however|meanwhile|still|now|later|earlier|moments|last|first|next|despite|although|
though|because|since|until|what|who|why|how|where|which|whose|whom|according|among|amid|during|about|above|
over|under|across|through|throughout|within|against|upon|once|even|only|just|already|indeed|instead|yes|oh|
well|several|few|other|another|any|much|either|neither|nor|whether|let|please|want|read|see|follow|click|share|
subscribe|sign|get|watch|breaking|update|updated|exclusive|live|photo|video|new|former|late|early|today|
yesterday|tomorrow|tonight|overnight|nevertheless|nonetheless|moreover|furthermore|besides|thus|hence|
therefore|accordingly|consequently|otherwise|anyway|finally|eventually|initially|currently|recently|
previously|ultimately|officials|police|authorities|analysts|experts|critics|sources|reports|people|others|
many|most|speaking|asked|told|said|writing|having|being|given|following|including|based|while|whereas|
throughout|almost|nearly|around|below|beyond|beside|between|behind|toward|towards|near|off|out|up|down|
inside|outside|onto|per|via|ago|again|always|never|often|sometimes|usually|soon|too|very|quite|rather|
really|certainly|clearly|obviously|apparently|reportedly|allegedly|fortunately|unfortunately|sadly|
thankfully|interestingly|notably|importantly|crucially|separately|similarly|likewise|instead|elsewhere|
there's|here's|that's|what's|who's|we're|they're|i'm|i've|i'll|we've|we'll|you're|don't|can't|won't|
isn't|aren't|wasn't|weren't|didn't|doesn't|hasn't|haven't|hadn't|couldn't|wouldn't|shouldn't|let's|
mr|ms|mrs|dr|le|la|les|un|une|der|die|das|ein|eine|und|el|los|las|il|lo|gli|en|y|o|et|ou|mais|aber|pero|
con|sin|para|por|pour|avec|sans|mit|ohne|fur|nach|bei|von|dans|sur|sous|entre|chez|ce|cette|ces|ese|esta|
este|estos|dieser|diese|dieses|wir|sie|er|es|ich|je|tu|il|elle|nous|vous|ils|elles|yo|nosotros|ellos|
ellas|usted|ustedes|hoy|ayer|manana|heute|gestern|morgen|aujourd'hui|hier|demain|sin|embargo|jedoch|
cependant|ainsi|alors|dann|damals|also|ja|nein|oui|non|si|sobre|tras|durante|hasta|desde|seit|bis|depuis|
jusqu'a|mientras|wahrend|pendant|como|wie|comme|que|qui|quoi|wer|was|wo|warum|porque|parce|cuando|wenn|
quand|aussi|auch|tambien|sehr|muy|tres|mas|mehr|plus|todo|alle|tous|toutes|todos|todas|ningun|kein|
keine|aucun|aucune|nadie|niemand|personne|nothing|something|anything|everything|nobody|somebody|anybody|
everybody|someone|anyone|everyone|whatever|whoever|whenever|wherever|however|meantime|hit|want|click|
tap|scroll|swipe|download|join|visit|check|find|discover|learn|explore|try|buy|shop|save|win|enter|
advertisement|sponsored|promoted|related|more|latest|top|trending|popular|recommended|featured|
listen|play|pause|close|open|menu|search|home|back|continue|view|show|hide|copy|print|email|comment|
comments|reply|like|report|image|images|picture|pictures|caption|credit|source|sources|file|getty|ap|
pa|epa|afp|reuters|shutterstock|alamy|note|editor's|correction|clarification|disclaimer`)

// lowerStop are capitalized single words that are never entities on their
// own, wherever they stand.
var lowerStop = set(`i|i'm|i've|i'll|i'd|ok|okay|oh|the|a|an|and|or|but|of|in|on|at|to|for|from|by|with|he|
she|it|we|they|you|his|her|its|our|their|my|your|this|that|these|those|there|here|is|are|was|were|be|
mr|mrs|ms|dr|no|yes|not`)

// monthNames and dayNames (with abbreviations) are never entities.
var monthNums = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}
var dayNums = map[string]int{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
	"mon": 1, "tue": 2, "tues": 2, "wed": 3, "thu": 4, "thur": 4, "thurs": 4, "fri": 5, "sat": 6, "sun": 0,
}

// abbrevs are words whose following period does not end a sentence.
var abbrevs = set(`mr|mrs|ms|dr|st|sen|rep|gov|gen|lt|col|capt|sgt|prof|jr|sr|inc|ltd|co|corp|mt|ft|ave|blvd|
vs|etc|no|nos|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|approx|dept|univ|adm|cmdr|supt|insp|det|rev|
hon|messrs|mme|mlle|dott|fr|sra|srta|nr|bros|est|al|pp|vol|fig|cf|ca|mon|tue|tues|wed|thu|thur|thurs|fri|sat|
sun|pres|gov|atty|reps|sens|govs|mssrs|hr|dir|mgr|assn|intl|natl|univ`)

// titleAbbrevs are abbreviations that precede a name, so their period never
// ends a sentence.
var titleAbbrevs = set(`mr|mrs|ms|dr|st|sen|rep|gov|gen|lt|col|capt|sgt|prof|mt|ft|adm|cmdr|supt|insp|det|rev|
hon|messrs|mme|mlle|dott|fr|sra|srta|pres|atty|reps|sens|govs|no`)

// placePreps, right before a name, suggest a place.
var placePreps = set(`in|to|from|near|into|across|toward|towards|outside|inside|throughout|around|via|visit|
visited|visiting|visits|reached|leaves|leaving|left|arrived|en|nach|aus|im|dans|desde|hacia|vers|depuis|
capital`)
