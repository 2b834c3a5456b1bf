package zones

import (
	"strings"
	"sync"
)

// abbrev is what a time zone abbreviation stands for.
type abbrev struct {
	zone  string // a representative IANA zone, one that follows daylight saving when the time does
	label string // "Pacific time"
	note  string // the other zones the same letters may mean
}

// abbreviations maps the abbreviations people type, standard and summer
// forms alike, to a zone that keeps that time all year: "PST" in July is
// still Pacific time, so it maps to America/Los_Angeles, which follows
// daylight saving, rather than to a fixed UTC-8.
var abbreviations = sync.OnceValue(func() map[string]abbrev {
	m := map[string]abbrev{}
	for _, a := range []struct {
		names string
		abbrev
	}{
		{"UTC Z ZULU UCT UNIVERSAL", abbrev{"UTC", "Coordinated Universal Time", ""}},
		{"GMT", abbrev{"UTC", "Greenwich Mean Time", "for UK time with its summer time, use Europe/London"}},
		{"PST PDT PT PACIFIC", abbrev{"America/Los_Angeles", "Pacific time", ""}},
		{"MST MDT MT MOUNTAIN", abbrev{"America/Denver", "Mountain time", "for Arizona, which keeps standard time all year, use America/Phoenix"}},
		{"CST CDT CT CENTRAL", abbrev{"America/Chicago", "Central time", "for China Standard Time, use Asia/Shanghai"}},
		{"EST EDT ET EASTERN", abbrev{"America/New_York", "Eastern time", ""}},
		{"AKST AKDT", abbrev{"America/Anchorage", "Alaska time", ""}},
		{"HST HAST HDT", abbrev{"Pacific/Honolulu", "Hawaii time", ""}},
		{"AST ADT", abbrev{"America/Halifax", "Atlantic time", "for Arabia Standard Time, use Asia/Riyadh"}},
		{"NST NDT", abbrev{"America/St_Johns", "Newfoundland time", ""}},
		{"BST", abbrev{"Europe/London", "UK time", ""}},
		{"WET WEST", abbrev{"Europe/Lisbon", "Western European time", ""}},
		{"CET CEST MET MEST MEZ MESZ", abbrev{"Europe/Berlin", "Central European time", ""}},
		{"EET EEST", abbrev{"Europe/Athens", "Eastern European time", ""}},
		{"MSK", abbrev{"Europe/Moscow", "Moscow time", ""}},
		{"IST", abbrev{"Asia/Kolkata", "India time", "for Irish time use Europe/Dublin; for Israel time, Asia/Jerusalem"}},
		{"PKT", abbrev{"Asia/Karachi", "Pakistan time", ""}},
		{"GST", abbrev{"Asia/Dubai", "Gulf time", ""}},
		{"ICT", abbrev{"Asia/Bangkok", "Indochina time", ""}},
		{"WIB", abbrev{"Asia/Jakarta", "Western Indonesia time", ""}},
		{"PHT PHST", abbrev{"Asia/Manila", "Philippine time", ""}},
		{"SGT", abbrev{"Asia/Singapore", "Singapore time", ""}},
		{"HKT", abbrev{"Asia/Hong_Kong", "Hong Kong time", ""}},
		{"JST", abbrev{"Asia/Tokyo", "Japan time", ""}},
		{"KST", abbrev{"Asia/Seoul", "Korea time", ""}},
		{"AEST AEDT AET", abbrev{"Australia/Sydney", "Australian Eastern time", "for Queensland, which keeps standard time all year, use Australia/Brisbane"}},
		{"ACST ACDT", abbrev{"Australia/Adelaide", "Australian Central time", "for the Northern Territory, use Australia/Darwin"}},
		{"AWST", abbrev{"Australia/Perth", "Australian Western time", ""}},
		{"NZST NZDT NZT", abbrev{"Pacific/Auckland", "New Zealand time", ""}},
		{"BRT", abbrev{"America/Sao_Paulo", "Brasília time", ""}},
		{"ART", abbrev{"America/Argentina/Buenos_Aires", "Argentina time", ""}},
		{"SAST", abbrev{"Africa/Johannesburg", "South Africa time", ""}},
		{"WAT", abbrev{"Africa/Lagos", "West Africa time", ""}},
		{"CAT", abbrev{"Africa/Maputo", "Central Africa time", ""}},
		{"EAT", abbrev{"Africa/Nairobi", "East Africa time", ""}},
	} {
		for _, n := range strings.Fields(a.names) {
			m[n] = a.abbrev
		}
	}
	return m
})

// placeTable maps zones to comma-separated places that have no zone of
// their own name: big cities, old city names, countries and regions with
// a single zone. Each zone's own city ("Berlin", "Kolkata") needs no entry.
var placeTable = map[string]string{
	"America/Los_Angeles": "LA, SF, San Francisco, Seattle, Portland, San Diego, San Jose, Sacramento, Las Vegas, Oakland, Silicon Valley, Bay Area, California, Pacific Northwest, Washington State",
	"America/Denver":      "Salt Lake City, Albuquerque, Colorado, Utah, El Paso",
	"America/Phoenix":     "Tucson, Arizona",
	"America/Chicago": "Dallas, Houston, Austin, San Antonio, Minneapolis, St Louis, Saint Louis, Kansas City, New Orleans, Nashville, " +
		"Milwaukee, Memphis, Oklahoma City, Texas, Illinois",
	"America/New_York": "NYC, New York City, Brooklyn, Manhattan, Boston, Washington DC, DC, Philadelphia, Atlanta, Miami, " +
		"Orlando, Tampa, Charlotte, Pittsburgh, Baltimore, Raleigh, Columbus, Cleveland, Cincinnati, Florida, Massachusetts, Virginia",
	"America/Anchorage":              "Alaska",
	"Pacific/Honolulu":               "Hawaii",
	"America/Toronto":                "Montreal, Ottawa, Quebec, Quebec City, Ontario",
	"America/Edmonton":               "Calgary, Alberta",
	"America/Vancouver":              "British Columbia, Victoria BC",
	"America/Mexico_City":            "Guadalajara, Puebla",
	"America/Sao_Paulo":              "Rio, Rio de Janeiro, Brasilia, Belo Horizonte, Porto Alegre, Curitiba",
	"America/Bogota":                 "Colombia, Medellin, Cali",
	"America/Lima":                   "Peru",
	"America/Santiago":               "Chile",
	"America/Argentina/Buenos_Aires": "Argentina",
	"Europe/London":                  "UK, United Kingdom, Britain, Great Britain, England, Scotland, Wales, Edinburgh, Manchester, Birmingham, Glasgow, Liverpool, Leeds, Bristol, Cambridge, Oxford",
	"Europe/Dublin":                  "Ireland, Cork, Galway",
	"Europe/Lisbon":                  "Portugal, Porto",
	"Europe/Madrid":                  "Spain, Barcelona, Valencia, Seville, Bilbao, Malaga",
	"Europe/Paris":                   "France, Lyon, Marseille, Toulouse, Nice, Bordeaux",
	"Europe/Brussels":                "Belgium, Antwerp, Ghent",
	"Europe/Amsterdam":               "Netherlands, Holland, Rotterdam, The Hague, Utrecht, Eindhoven",
	"Europe/Berlin":                  "Germany, Deutschland, Munich, München, Frankfurt, Hamburg, Cologne, Köln, Stuttgart, Düsseldorf, Leipzig, Dresden",
	"Europe/Zurich":                  "Switzerland, Geneva, Basel, Bern, Lausanne",
	"Europe/Vienna":                  "Austria, Wien, Salzburg, Graz",
	"Europe/Rome":                    "Italy, Milan, Milano, Florence, Naples, Turin, Venice, Bologna",
	"Europe/Copenhagen":              "Denmark, Aarhus",
	"Europe/Oslo":                    "Norway, Bergen",
	"Europe/Stockholm":               "Sweden, Gothenburg, Malmo",
	"Europe/Helsinki":                "Finland, Espoo, Tampere",
	"Europe/Warsaw":                  "Poland, Krakow, Wroclaw, Gdansk, Poznan",
	"Europe/Prague":                  "Czechia, Czech Republic, Brno",
	"Europe/Budapest":                "Hungary",
	"Europe/Bucharest":               "Romania, Cluj",
	"Europe/Athens":                  "Greece, Thessaloniki",
	"Europe/Istanbul":                "Turkey, Türkiye, Ankara, Izmir",
	"Europe/Kyiv":                    "Ukraine, Kiev, Kharkiv, Lviv, Odesa",
	"Europe/Moscow":                  "St Petersburg, Saint Petersburg",
	"Asia/Jerusalem":                 "Israel, Tel Aviv, Haifa",
	"Asia/Dubai":                     "UAE, United Arab Emirates, Abu Dhabi",
	"Asia/Riyadh":                    "Saudi Arabia, Jeddah",
	"Asia/Qatar":                     "Doha",
	"Asia/Karachi":                   "Pakistan, Lahore, Islamabad",
	"Asia/Kolkata":                   "India, Mumbai, Bombay, Delhi, New Delhi, Bangalore, Bengaluru, Chennai, Madras, Hyderabad, Pune, Calcutta, Ahmedabad, Jaipur, Noida, Gurgaon, Gurugram",
	"Asia/Dhaka":                     "Bangladesh",
	"Asia/Kathmandu":                 "Nepal",
	"Asia/Colombo":                   "Sri Lanka",
	"Asia/Bangkok":                   "Thailand, Phuket",
	"Asia/Ho_Chi_Minh":               "Vietnam, Saigon, Ho Chi Minh City, HCMC, Hanoi",
	"Asia/Kuala_Lumpur":              "Malaysia, KL",
	"Asia/Manila":                    "Philippines, Cebu",
	"Asia/Shanghai":                  "China, Beijing, Shenzhen, Guangzhou, Hangzhou, Chengdu, Wuhan",
	"Asia/Hong_Kong":                 "HK",
	"Asia/Taipei":                    "Taiwan",
	"Asia/Seoul":                     "Korea, South Korea, Busan",
	"Asia/Tokyo":                     "Japan, Osaka, Kyoto, Yokohama, Nagoya, Sapporo, Fukuoka",
	"Australia/Sydney":               "Canberra, New South Wales, NSW",
	"Australia/Brisbane":             "Queensland, Gold Coast",
	"Pacific/Auckland":               "New Zealand, NZ, Wellington, Christchurch",
	"Africa/Johannesburg":            "South Africa, Cape Town, Durban, Pretoria",
	"Africa/Lagos":                   "Nigeria, Abuja",
	"Africa/Nairobi":                 "Kenya, Mombasa",
	"Africa/Cairo":                   "Egypt",
	"Africa/Casablanca":              "Morocco, Rabat",
}

// severalZones are places with more than one zone (countries, and a name
// shared by places in different zones): the answer is a question, with the
// main zones to choose from.
var severalZones = map[string][]string{
	"US, USA, United States, America": {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"},
	"Washington":                      {"America/New_York", "America/Los_Angeles"},
	"Canada":                          {"America/Toronto", "America/Winnipeg", "America/Edmonton", "America/Vancouver"},
	"Australia":                       {"Australia/Sydney", "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth"},
	"Brazil":                          {"America/Sao_Paulo", "America/Manaus", "America/Fortaleza"},
	"Mexico":                          {"America/Mexico_City", "America/Tijuana", "America/Cancun"},
	"Russia":                          {"Europe/Moscow", "Asia/Yekaterinburg", "Asia/Novosibirsk", "Asia/Vladivostok"},
	"Indonesia":                       {"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"},
}
