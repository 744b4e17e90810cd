package web

import (
	"errors"
	"github.com/mentorpulse/mentorpulse/i18n"
	"net/url"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// previewView heads the survey page when staff preview an instrument: which
// version, in which language, the other languages, and the way back.
type previewView struct {
	Title, Status, Lang, LangName, Back, CSRFToken string
	Version                                        int
	Langs                                          []langLink
	// Valid says the answers sent passed validation: a mentee would have
	// seen the thank-you page.
	Valid bool
}

// langLink is one entry of the preview's language switch, each language
// named in itself.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// nativeName names a language in itself, as a language switch does.
func nativeName(code string) string {
	switch code {
	case "en":
		return "English"
	case "es":
		return "Español"
	}
	return code
}

// previewLang picks the language asked for among the instrument's, or its
// source language.
func previewLang(inst *surveys.Instrument, asked string) string {
	for _, l := range inst.Langs() {
		if l == asked {
			return l
		}
	}
	return inst.Source()
}

// previewSubmit validates a preview's answers with the survey's own code
// (formSubmission, Instrument.Validate): the same errors, nothing stored.
func previewSubmit(c echo.Context, inst *surveys.Instrument) (map[string]string, []surveys.FieldError, error) {
	form, raw := formSubmission(c, inst)
	_, err := inst.Validate(raw)
	var ae *surveys.Error
	if errors.As(err, &ae) && ae.Code == surveys.EINVALID {
		return form, ae.Fields, nil
	}
	return form, nil, err
}

// renderPreview shows inst in lang exactly as the survey page shows a link
// of prog: the same template and data, with the program's release rule in
// the privacy note and no resident named. Only the banner, the form's
// target and the disabled decline button differ.
func (s *Server) renderPreview(c echo.Context, status int, prog *models.Program, inst *surveys.Instrument, published bool, path, lang string, form map[string]string, fieldErrs []surveys.FieldError, valid bool) error {
	// The preview's own language links stand in for the mentee's switcher.
	if !i18n.Has(lang) || !slices.Contains(inst.Langs(), lang) {
		lang = inst.Source()
	}
	ml := menteeLang{P: i18n.For(lang), Lang: lang, Chosen: true}
	loc := inst.In(lang)
	link := &models.LinkView{ProgramName: prog.Name, ReleaseWindow: prog.ReleaseWindow,
		AcademicYearStartMonth: prog.AcademicYearStartMonth, MinMentees: prog.MinMentees}
	d := s.surveyData(ml, link, loc, form, fieldErrs)
	d.Action = withLang(path, lang)
	st := "draft"
	if published {
		st = "published"
	}
	title := loc.Title
	if title == "" {
		title = inst.Key
	}
	p := &previewView{Title: title, Version: inst.Version, Status: st, Lang: lang, LangName: nativeName(lang),
		Back: editorPath(prog.ID, inst.Key, inst.Version), CSRFToken: httpkit.CSRFToken(c), Valid: valid}
	for _, l := range inst.Langs() {
		p.Langs = append(p.Langs, langLink{Code: l, Name: nativeName(l), Href: path + "?lang=" + url.QueryEscape(l), Current: l == lang})
	}
	d.Preview = p
	return s.renderPage(c, status, "survey", d)
}

// instrumentsPath is a program's list of instrument versions.
func instrumentsPath(programID int64) string {
	return "/programs/" + strconv.FormatInt(programID, 10) + "/instruments"
}

// editorPath is one version's editor (or read-only view).
func editorPath(programID int64, key string, version int) string {
	return instrumentsPath(programID) + "/" + url.PathEscape(key) + "/" + strconv.Itoa(version)
}

// previewPath is one version's preview.
func previewPath(programID int64, key string, version int) string {
	return editorPath(programID, key, version) + "/preview"
}
