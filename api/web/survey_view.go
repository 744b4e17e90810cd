package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/i18n"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// surveyPageData is what the mentee's form shows.
type surveyPageData struct {
	menteeLang
	Token        string
	ResidentName string
	ProgramName  string
	// MinMentees and Window state the program's release rule: the
	// answers are seen only combined with at least MinMentees mentees',
	// after Window (e.g. "quarter (October–December 2026)") ends.
	MinMentees int
	Window     string
	// MeetingDay and Closes are the meeting's date and the link's last
	// day in the page's language; empty when unknown.
	MeetingDay string
	Closes     string
	// Action and DeclineAction are the forms' targets, carrying the
	// language so that the answer pages keep it.
	Action, DeclineAction string
	Items                 []itemView
	Comments              []commentView
	// ErrorTitle heads the error summary; empty when there is none.
	ErrorTitle string
	// Unanswered links to each statement left without an answer, the common
	// mistake, shown compactly as question numbers.
	Unanswered []errorLink
	// Errors links to every other problem, in words.
	Errors []errorLink
	// AnswersError is about the answers as a whole, shown above the first.
	AnswersError string
	// Unavailable heads a form shown again because the database was out of
	// reach: the answers are kept, to send again in a minute (a link takes
	// one answer, so a second send never stores twice).
	Unavailable bool
	// Preview is set when staff look at an instrument as a mentee would
	// (instrument_preview.go): the same form under a banner, storing nothing.
	Preview *previewView
}

type itemView struct {
	Key, Text, AttributeLabel, Error string
	Number                           int
	Choices                          []choiceView
}

type choiceView struct {
	Value, Label string
	// NA marks the "not applicable" choice, laid out apart from the scale.
	NA, Checked bool
}

type commentView struct {
	Key, Prompt, Value, Error string
	MaxLength                 int
}

// errorLink is one entry of the error summary: the id it jumps to, and its
// text or, for an unanswered statement, its number.
type errorLink struct {
	Anchor, Text string
	Number       int
}

// meetingDay shows a YYYY-MM-DD meeting date with its weekday, in the
// page's language: "Friday 20 November 2026", "viernes 20 de noviembre de
// 2026".
func meetingDay(p *i18n.Printer, date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return p.WeekdayDate(t)
}

// renderSurveyKept shows the form again after the database was out of
// reach: the mentee's answers in place under a notice to send them again.
// Nothing about the link could be read, so the page names no resident and
// no closing date.
func (s *Server) renderSurveyKept(c echo.Context, status int, inst *surveys.Instrument, form map[string]string) error {
	return s.renderSurveyPage(c, status, &models.LinkView{}, inst, form, nil, true)
}

// renderSurvey shows the form; after a failed submission it keeps the
// mentee's input, puts each error beside its item, and heads the page with a
// summary that links to each one.
func (s *Server) renderSurvey(c echo.Context, status int, link *models.LinkView, inst *surveys.Instrument, form map[string]string, fieldErrs []surveys.FieldError) error {
	return s.renderSurveyPage(c, status, link, inst, form, fieldErrs, false)
}

func (s *Server) renderSurveyPage(c echo.Context, status int, link *models.LinkView, inst *surveys.Instrument, form map[string]string, fieldErrs []surveys.FieldError, unavailable bool) error {
	token := c.Param("token")
	offered := link.Languages()
	if unavailable {
		// The link could not be read: any language the instrument has.
		offered = inst.Langs()
	}
	ml := menteeLanguage(c, offeredLanguages(offered, inst), "/s/"+token)
	d := s.surveyData(ml, link, inst.In(ml.Lang), form, fieldErrs)
	d.Token = token
	d.Unavailable = unavailable
	d.Action, d.DeclineAction = "/s/"+token, "/s/"+token+"/decline"
	if ml.Chosen {
		d.Action, d.DeclineAction = withLang(d.Action, ml.Lang), withLang(d.DeclineAction, ml.Lang)
	}
	// The page carries the link's token and, after a mistake, the mentee's
	// answers: keep it out of caches on a shared device.
	httpkit.NoStore(c)
	return s.render(c, status, "survey", d)
}

// surveyData is the mentee's form for any instrument, already in the
// page's language: the survey page and the instrument preview both render
// it, so the preview shows exactly what a mentee gets.
func (s *Server) surveyData(ml menteeLang, link *models.LinkView, inst *surveys.Instrument, form map[string]string, fieldErrs []surveys.FieldError) surveyPageData {
	errs := map[string]string{}
	for _, fe := range fieldErrs {
		errs[fe.Field] = fe.Message
	}
	p := ml.P
	d := surveyPageData{
		menteeLang:   ml,
		ResidentName: link.ResidentName,
		ProgramName:  link.ProgramName,
		MinMentees:   link.MinMentees,
	}
	if link.MeetingDate != nil {
		d.MeetingDay = meetingDay(p, *link.MeetingDate)
	}
	if !link.ExpiresAt.IsZero() {
		d.Closes = p.Date(link.ExpiresAt.UTC())
	}
	d.Window = releaseWindowText(p, s.DB.Now(), link.ReleaseWindow, link.AcademicYearStartMonth)
	if d.MinMentees < surveys.MinMinMentees {
		d.MinMentees = surveys.DefaultMinMentees
	}
	if _, ok := errs["answers"]; ok {
		d.AnswersError = p.T("errors.all_not_applicable")
		d.Errors = append(d.Errors, errorLink{Anchor: "err-answers", Text: d.AnswersError})
	}
	for i, it := range inst.Items {
		iv := itemView{Key: it.Key, Number: i + 1, Text: it.Text, AttributeLabel: p.T("attribute." + string(it.Attribute))}
		if msg, ok := errs["answers."+it.Key]; ok {
			iv.Error = pageMessage(p, msg)
			el := errorLink{Anchor: "item-" + it.Key, Number: iv.Number}
			if unanswered(msg) {
				d.Unanswered = append(d.Unanswered, el)
			} else {
				el.Text = p.T("errors.question", iv.Number, iv.Error)
				d.Errors = append(d.Errors, el)
			}
		}
		for v := inst.Scale.Min; v <= inst.Scale.Max; v++ {
			val := strconv.Itoa(v)
			iv.Choices = append(iv.Choices, choiceView{Value: val, Label: inst.Scale.Labels[v], Checked: form[it.Key] == val})
		}
		if inst.AllowsNotApplicable(it) {
			iv.Choices = append(iv.Choices, choiceView{Value: "na", Label: inst.NotApplicableText(), NA: true, Checked: form[it.Key] == "na"})
		}
		d.Items = append(d.Items, iv)
	}
	for _, cp := range inst.Comments {
		cv := commentView{Key: cp.Key, Prompt: cp.Prompt, MaxLength: cp.MaxLength, Value: form[cp.Key]}
		if _, ok := errs["comments."+cp.Key]; ok {
			why := commentReason(p, form[cp.Key], cp.MaxLength)
			cv.Error = p.T("errors.comment", why)
			d.Errors = append(d.Errors, errorLink{Anchor: "item-" + cp.Key, Text: p.T("errors.comment_named", cp.Prompt, why)})
		}
		d.Comments = append(d.Comments, cv)
	}
	d.ErrorTitle = errorTitle(p, len(d.Unanswered), len(d.Errors))
	return d
}

// unanswered reports whether a message about a rated item says it has no
// answer, rather than a value the page never offers.
func unanswered(msg string) bool { return strings.HasPrefix(msg, "choose a rating") }

// pageMessage rewords the API's message about one rated item for people
// using the form, who never see the numbers behind the choices.
func pageMessage(p *i18n.Printer, msg string) string {
	if unanswered(msg) {
		return p.T("errors.choose_answer")
	}
	// Only a tampered form sends a value the page does not offer.
	return p.T("errors.choose_shown")
}

func errorTitle(p *i18n.Printer, unanswered, other int) string {
	switch {
	case unanswered+other == 0:
		return ""
	case other == 0 && unanswered == 1:
		return p.T("errors.unanswered_one")
	case other == 0:
		return p.T("errors.unanswered_other", unanswered)
	case unanswered+other == 1:
		return p.T("errors.look_one")
	}
	return p.T("errors.look_other", unanswered+other)
}

// releaseWindowText names the window an answer submitted now belongs to:
// "quarter (October–December 2026)". A program without settings (the
// unavailable page) gets the defaults, as the release job does.
func releaseWindowText(p *i18n.Printer, now time.Time, kind string, startMonth int) string {
	if !surveys.ValidWindowKind(kind) {
		kind = surveys.DefaultWindow
	}
	if startMonth < 1 || startMonth > 12 {
		startMonth = surveys.DefaultAcademicYearStartMonth
	}
	return windowText(p, surveys.WindowOf(now, kind, startMonth), kind)
}
