// Package i18n is the message catalogue: every text a mentee reads (the
// survey pages, the survey emails and reminders) and the shared layout's
// strings, in each language Mentorpulse speaks. Messages live in embedded
// files, messages/<lang>.json, one object of key → printf format; English
// is the reference and a test fails when another file lacks one of its
// keys or keeps a key it dropped. Numbers go through the language's
// printer (golang.org/x/text/message), so "1,000" in English is "1000" or
// "10.000" in Spanish; dates are built from the catalogue's month names.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Reference is the language every message exists in first.
const Reference = "en"

//go:embed messages/*.json
var files embed.FS

// languages are the catalogue's languages, Reference first; each named in
// itself for the language switcher.
var languages = []struct{ code, name string }{
	{"en", "English"},
	{"es", "Español"},
}

var (
	cat      *catalog.Builder
	messages map[string]map[string]string
)

func init() {
	var err error
	if messages, err = load(); err != nil {
		panic(err)
	}
	cat = catalog.NewBuilder(catalog.Fallback(language.MustParse(Reference)))
	for lang, msgs := range messages {
		tag := language.MustParse(lang)
		for k, v := range msgs {
			if err := cat.SetString(tag, k, v); err != nil {
				panic(fmt.Sprintf("i18n: %s %s: %v", lang, k, err))
			}
		}
	}
}

// load reads every language's message file.
func load() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, l := range languages {
		b, err := files.ReadFile("messages/" + l.code + ".json")
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("i18n: messages/%s.json: %w", l.code, err)
		}
		out[l.code] = m
	}
	return out, nil
}

// Languages lists the catalogue's languages, Reference first.
func Languages() []string {
	out := make([]string, len(languages))
	for i, l := range languages {
		out[i] = l.code
	}
	return out
}

// Has reports whether the catalogue speaks lang.
func Has(lang string) bool { return slices.Contains(Languages(), lang) }

// Name is a language's name in that language ("Español"), as a switcher
// shows it; an unknown code is returned as it is.
func Name(lang string) string {
	for _, l := range languages {
		if l.code == lang {
			return l.name
		}
	}
	return lang
}

// Negotiate picks, among offered (a program's languages, its default
// first), the one an Accept-Language header prefers; offered[0] when it
// prefers none of them. Offered languages the catalogue lacks are skipped;
// with none left it is Reference.
func Negotiate(acceptLanguage string, offered []string) string {
	var tags []language.Tag
	var codes []string
	for _, o := range offered {
		if Has(o) {
			tags = append(tags, language.MustParse(o))
			codes = append(codes, o)
		}
	}
	if len(codes) == 0 {
		return Reference
	}
	prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(prefs) == 0 {
		return codes[0]
	}
	_, i, conf := language.NewMatcher(tags).Match(prefs...)
	if conf == language.No {
		return codes[0]
	}
	return codes[i]
}

// Printer writes messages in one language.
type Printer struct {
	lang string
	p    *message.Printer
}

// For returns the printer of lang, or of Reference for a language the
// catalogue lacks.
func For(lang string) *Printer {
	if !Has(lang) {
		lang = Reference
	}
	return &Printer{lang: lang, p: message.NewPrinter(language.MustParse(lang), message.Catalog(cat))}
}

// Lang is the printer's language code, for <html lang>.
func (p *Printer) Lang() string { return p.lang }

// T is the message key in the printer's language, formatted with args like
// fmt.Sprintf (numbers in the language's style).
func (p *Printer) T(key string, args ...any) string {
	return p.p.Sprintf(message.Key(key, key), args...)
}

// N is n with the language's digit grouping.
func (p *Printer) N(n int) string { return p.p.Sprintf("%d", n) }

// Month is a month's name in the language.
func (p *Printer) Month(m time.Month) string { return p.T("month." + strconv.Itoa(int(m))) }

// Date is a day in the language's long form: "4 May 2026", "4 de mayo de
// 2026". The year is never grouped like a number.
func (p *Printer) Date(t time.Time) string {
	return p.T("date.long", t.Day(), p.Month(t.Month()), strconv.Itoa(t.Year()))
}

// WeekdayDate is Date with the day of the week: "Monday 4 May 2026".
func (p *Printer) WeekdayDate(t time.Time) string {
	return p.T("date.weekday", p.T("weekday."+strconv.Itoa(int(t.Weekday()))), t.Day(), p.Month(t.Month()), strconv.Itoa(t.Year()))
}

// DateOnly shows a YYYY-MM-DD date with Date; anything else as it is.
func (p *Printer) DateOnly(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return p.Date(t)
}
