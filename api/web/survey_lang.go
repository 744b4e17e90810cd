package web

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/i18n"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The mentee's language (issue 12). A mentee page is in the language the
// mentee chose with the switcher (?lang=es, carried by the page's links and
// its forms' actions), else the one their browser prefers among the
// program's, else the program's first. The choice lives in the URL only:
// no cookie, no column, no log field (the request log records the route
// pattern, never the query), so nothing stored with an answer says which
// language it was given in (docs/privacy.md).

// langField is the query parameter that carries the mentee's choice.
const langField = "lang"

// menteeLang is what a mentee page needs to speak its language: the
// printer (templates call .P.T "key"), the code for <html lang>, and the
// switcher's links (none when only one language is offered).
type menteeLang struct {
	P      *i18n.Printer
	Lang   string
	Switch []langChoice
	// Chosen is set when the request named the language (?lang=): the
	// page's forms carry it on, else the next request negotiates again.
	Chosen bool
}

// langChoice is one link of the switcher, named in its own language.
type langChoice struct {
	Code, Name, URL string
	Current         bool
}

// offeredLanguages are the languages a link's page may use: the program's,
// in its order, that the instrument has texts in and the catalogue speaks.
func offeredLanguages(program []string, inst *surveys.Instrument) []string {
	var out []string
	for _, l := range program {
		if i18n.Has(l) && (inst == nil || slices.Contains(inst.Langs(), l)) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = []string{i18n.Reference}
	}
	return out
}

// menteeLanguage picks the page's language among offered; switchPath is the
// GET path the switcher's links lead to ("" for no switcher).
func menteeLanguage(c echo.Context, offered []string, switchPath string) menteeLang {
	lang := c.QueryParam(langField)
	chosen := slices.Contains(offered, lang)
	if !chosen {
		lang = i18n.Negotiate(c.Request().Header.Get("Accept-Language"), offered)
	}
	// The answer depends on the header: a cache must not give it to
	// another browser (mentee pages are no-store anyway).
	c.Response().Header().Add("Vary", "Accept-Language")
	m := menteeLang{P: i18n.For(lang), Lang: lang, Chosen: chosen}
	if switchPath != "" && len(offered) > 1 {
		for _, l := range offered {
			m.Switch = append(m.Switch, langChoice{Code: l, Name: i18n.Name(l), URL: withLang(switchPath, l), Current: l == lang})
		}
	}
	return m
}

// withLang is path with the language choice in its query.
func withLang(path, lang string) string {
	return path + "?" + url.Values{langField: {lang}}.Encode()
}

// windowText names a release window in the mentee's language: "quarter
// (October–December 2026)", "trimestre (octubre–diciembre de 2026)".
func windowText(p *i18n.Printer, w surveys.Window, kind string) string {
	from, to := w.Start(), w.End().AddDate(0, -1, 0)
	monthYear := func(t time.Time) string {
		return p.T("window.month_year", p.Month(t.Month()), strconv.Itoa(t.Year()))
	}
	var months string
	switch {
	case from.Equal(to):
		months = monthYear(from)
	case from.Year() == to.Year():
		months = p.T("window.range", p.Month(from.Month()), monthYear(to))
	default:
		months = p.T("window.range", monthYear(from), monthYear(to))
	}
	return p.T("window."+kind, months)
}

// commentReason words why a comment was refused, in the mentee's language.
func commentReason(p *i18n.Printer, text string, max int) string {
	_, err := surveys.CleanComment(text, max)
	switch {
	case err == nil:
		return p.T("comment.other")
	case errors.Is(err, surveys.ErrCommentInvalidText):
		return p.T("comment.invalid_text")
	case errors.Is(err, surveys.ErrCommentControl):
		return p.T("comment.control")
	case errors.Is(err, surveys.ErrCommentBidi):
		return p.T("comment.bidi")
	case errors.Is(err, surveys.ErrCommentInvisible):
		return p.T("comment.invisible")
	case errors.Is(err, surveys.ErrCommentTooLong):
		return p.T("comment.too_long", max)
	}
	return p.T("comment.other")
}
