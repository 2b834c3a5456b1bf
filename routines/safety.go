package routines

import "fmt"

// emergencyNumbers maps an ISO 3166 country code to the number to call for
// a medical emergency there. Countries not listed get the generic advice:
// a wrong number is worse than none.
var emergencyNumbers = map[string]string{
	// North America and the US territories.
	"US": "911", "CA": "911", "MX": "911", "PR": "911", "VI": "911", "GU": "911", "AS": "911", "MP": "911",
	// Central and South America and the Caribbean.
	"PA": "911", "CR": "911", "SV": "911", "HN": "911", "DO": "911", "UY": "911", "EC": "911",
	"BR": "192", "CL": "131", "CO": "123", "PE": "106", "JM": "110",
	// The European Union and its neighbours, where 112 works everywhere.
	"AT": "112", "BE": "112", "BG": "112", "HR": "112", "CY": "112", "CZ": "112", "DK": "112", "EE": "112",
	"FI": "112", "FR": "112", "DE": "112", "GR": "112", "HU": "112", "IT": "112", "LV": "112", "LT": "112",
	"LU": "112", "MT": "112", "NL": "112", "PL": "112", "PT": "112", "RO": "112", "SK": "112", "SI": "112",
	"ES": "112", "SE": "112", "AX": "112", "FO": "112", "GL": "112", "VA": "112", "AD": "112", "MC": "112",
	"GI": "112", "IS": "112", "CH": "112", "LI": "112", "TR": "112", "RU": "112", "UA": "112", "MD": "112",
	"GE": "112", "AM": "112", "KZ": "112", "ME": "112", "MK": "112",
	"NO": "113",
	"IE": "112 or 999",
	"GB": "999", "IM": "999", "JE": "999", "GG": "999",
	// Asia and the Middle East.
	"IN": "112", "ID": "112", "JP": "119", "KR": "119", "TW": "119", "CN": "120", "HK": "999", "MO": "999",
	"MY": "999", "BD": "999", "SG": "995", "PH": "911", "TH": "1669", "VN": "115", "IL": "101", "JO": "911",
	"AE": "998", "SA": "997", "QA": "999", "BH": "999", "KW": "112", "OM": "9999",
	// Africa.
	"ZA": "10177", "EG": "123", "KE": "999", "NG": "112", "GH": "112",
	// Oceania.
	"AU": "000", "NZ": "111",
}

// EmergencyNumber returns the emergency number for the region of an IANA
// time zone ("Europe/Berlin" → "112", "America/Chicago" → "911",
// "Australia/Sydney" → "000"), and false when the zone names no region
// ("UTC", "Etc/GMT+5") or the region is not in the table.
func EmergencyNumber(zone string) (string, bool) {
	n, ok := emergencyNumbers[zoneCountry[zone]]
	return n, ok
}

// SafetyNote goes with every reply that suggests exercises. zone is the
// user's IANA time zone and picks the emergency number; an unknown zone
// gets "your local emergency number" with the commonest examples.
func SafetyNote(zone string) string {
	call := "call your local emergency number, such as 911 in the US or 112 in the EU"
	if n, ok := EmergencyNumber(zone); ok {
		call = "call " + n
	}
	return fmt.Sprintf("Stop any exercise that causes pain, numbness or weakness, and see a clinician if pain, stiffness, "+
		"numbness or weakness in your arms or legs keeps coming back; for serious symptoms get emergency care "+
		"(%s). These suggestions do not replace advice from a doctor or physical therapist.", call)
}
