package calendar

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// country is one country's national calendar and, for the countries whose
// regions keep holidays of their own, those regions' calendars.
type country struct {
	name     string
	holidays []*cal.Holiday
	regions  map[string]region
}

type region struct {
	name     string
	holidays []*cal.Holiday
}

// countries maps ISO 3166-1 alpha-2 codes to their calendars; region keys
// are the ISO 3166-2 subdivision codes without the country ("BY").
var countries = map[string]country{
	"AR": {name: "Argentina", holidays: ar.Holidays},
	"AT": {name: "Austria", holidays: at.Holidays},
	"AU": {name: "Australia", regions: map[string]region{
		"ACT": {"Australian Capital Territory", au.HolidaysACT},
		"NSW": {"New South Wales", au.HolidaysNSW},
		"NT":  {"Northern Territory", au.HolidaysNT},
		"QLD": {"Queensland", au.HolidaysQLD},
		"SA":  {"South Australia", au.HolidaysSA},
		"TAS": {"Tasmania", au.HolidaysTAS},
		"VIC": {"Victoria", au.HolidaysVIC},
		"WA":  {"Western Australia", au.HolidaysWA},
	}},
	"BE": {name: "Belgium", holidays: be.Holidays},
	"BG": {name: "Bulgaria", holidays: bg.Holidays},
	"BR": {name: "Brazil", holidays: br.Holidays},
	"CA": {name: "Canada", holidays: ca.Holidays},
	"CH": {name: "Switzerland", holidays: ch.Holidays, regions: map[string]region{
		"AG": {"Aargau", ch.HolidaysAG}, "AI": {"Appenzell Innerrhoden", ch.HolidaysAI},
		"AR": {"Appenzell Ausserrhoden", ch.HolidaysAR}, "BE": {"Bern", ch.HolidaysBE},
		"BL": {"Basel-Landschaft", ch.HolidaysBL}, "BS": {"Basel-Stadt", ch.HolidaysBS},
		"FR": {"Fribourg", ch.HolidaysFR}, "GE": {"Geneva", ch.HolidaysGE},
		"GL": {"Glarus", ch.HolidaysGL}, "GR": {"Graubünden", ch.HolidaysGR},
		"JU": {"Jura", ch.HolidaysJU}, "LU": {"Lucerne", ch.HolidaysLU},
		"NE": {"Neuchâtel", ch.HolidaysNE}, "NW": {"Nidwalden", ch.HolidaysNW},
		"OW": {"Obwalden", ch.HolidaysOW}, "SG": {"St. Gallen", ch.HolidaysSG},
		"SH": {"Schaffhausen", ch.HolidaysSH}, "SO": {"Solothurn", ch.HolidaysSO},
		"SZ": {"Schwyz", ch.HolidaysSZ}, "TG": {"Thurgau", ch.HolidaysTG},
		"TI": {"Ticino", ch.HolidaysTI}, "UR": {"Uri", ch.HolidaysUR},
		"VD": {"Vaud", ch.HolidaysVD}, "VS": {"Valais", ch.HolidaysVS},
		"ZG": {"Zug", ch.HolidaysZG}, "ZH": {"Zurich", ch.HolidaysZH},
	}},
	"CZ": {name: "Czechia", holidays: cz.Holidays},
	"DE": {name: "Germany", holidays: de.Holidays, regions: map[string]region{
		"BW": {"Baden-Württemberg", de.HolidaysBW}, "BY": {"Bavaria", de.HolidaysBY},
		"BE": {"Berlin", de.HolidaysBE}, "BB": {"Brandenburg", de.HolidaysBB},
		"HB": {"Bremen", de.HolidaysHB}, "HH": {"Hamburg", de.HolidaysHH},
		"HE": {"Hesse", de.HolidaysHE}, "MV": {"Mecklenburg-Vorpommern", de.HolidaysMV},
		"NI": {"Lower Saxony", de.HolidaysNI}, "NW": {"North Rhine-Westphalia", de.HolidaysNW},
		"RP": {"Rhineland-Palatinate", de.HolidaysRP}, "SL": {"Saarland", de.HolidaysSL},
		"SN": {"Saxony", de.HolidaysSN}, "ST": {"Saxony-Anhalt", de.HolidaysST},
		"SH": {"Schleswig-Holstein", de.HolidaysSH}, "TH": {"Thuringia", de.HolidaysTH},
	}},
	"DK": {name: "Denmark", holidays: dk.Holidays},
	"ES": {name: "Spain", holidays: es.Holidays},
	"FR": {name: "France", holidays: fr.Holidays},
	"GB": {name: "United Kingdom", holidays: gb.Holidays, regions: map[string]region{
		// Scotland keeps the summer bank holiday on the first Monday of
		// August and has no Easter Monday off.
		"SCT": {"Scotland", scotland()},
	}},
	"GR": {name: "Greece", holidays: gr.Holidays},
	"HR": {name: "Croatia", holidays: hr.Holidays},
	"IE": {name: "Ireland", holidays: ie.Holidays},
	"IT": {name: "Italy", holidays: it.Holidays},
	"JP": {name: "Japan", holidays: jp.Holidays},
	"LT": {name: "Lithuania", holidays: lt.Holidays},
	"LV": {name: "Latvia", holidays: lv.Holidays},
	"MW": {name: "Malawi", holidays: mw.Holidays},
	"NL": {name: "Netherlands", holidays: nl.Holidays},
	"NO": {name: "Norway", holidays: no.Holidays},
	"NZ": {name: "New Zealand", holidays: nz.Holidays},
	"PL": {name: "Poland", holidays: pl.Holidays},
	"RO": {name: "Romania", holidays: ro.Holidays},
	"RU": {name: "Russia", holidays: ru.Holidays},
	"SE": {name: "Sweden", holidays: se.Holidays},
	"SI": {name: "Slovenia", holidays: si.Holidays},
	"SK": {name: "Slovakia", holidays: sk.Holidays},
	"UA": {name: "Ukraine", holidays: ua.Holidays},
	"US": {name: "United States", holidays: us.Holidays},
	"ZA": {name: "South Africa", holidays: za.Holidays},
}

// scotland is the United Kingdom's list with Scotland's summer bank holiday
// in place of England's, and without Easter Monday.
func scotland() []*cal.Holiday {
	var out []*cal.Holiday
	for _, h := range gb.Holidays {
		switch h {
		case gb.EasterMonday:
		case gb.SummerHoliday:
			out = append(out, gb.SummerHolidayScotland)
		default:
			out = append(out, h)
		}
	}
	return out
}
