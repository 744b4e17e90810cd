package delivery

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/mentorpulse/mentorpulse/i18n"
)

// emailData is what both parts of a survey email show: its language and
// its sentences, worded through the catalogue (i18n/messages) in the
// program's first survey language.
type emailData struct {
	Lang         string
	Subject      string
	Hello        string
	Intro        string
	URL          string
	Button       string
	Copy         string
	WorksOnce    string
	PrivacyLabel string
	Privacy      string
	AddressUse   string
}

// emailFacts are the facts a survey email states, before wording.
type emailFacts struct {
	MenteeName   string
	ResidentName string
	ProgramName  string
	MeetingDate  string // YYYY-MM-DD
	URL          string
	Expires      time.Time
	Reminder     bool
	Reminders    int
}

// wordEmail words an email's facts in lang.
func wordEmail(lang string, f emailFacts) emailData {
	p := i18n.For(lang)
	d := emailData{Lang: p.Lang(), URL: f.URL, Button: p.T("email.button"), Copy: p.T("email.copy"),
		PrivacyLabel: p.T("email.privacy_label"), Privacy: p.T("email.privacy", f.ResidentName)}
	d.Subject = p.T("email.subject", f.ResidentName)
	intro := "email.intro"
	if f.Reminder {
		d.Subject = p.T("email.subject_reminder", f.ResidentName)
		intro = "email.intro_reminder"
	}
	d.Hello = p.T("email.hello")
	if f.MenteeName != "" {
		d.Hello = p.T("email.hello_name", f.MenteeName)
	}
	d.Intro = p.T(intro, f.ResidentName, f.ProgramName, longDate(p, f.MeetingDate))
	d.WorksOnce = p.T("email.works_once", localExpiry(p, f.Expires))
	switch {
	case f.Reminders == 0:
		d.AddressUse = p.T("email.address_use")
	case f.Reminders == 1:
		d.AddressUse = p.T("email.address_use_one", f.Reminders)
	default:
		d.AddressUse = p.T("email.address_use_other", f.Reminders)
	}
	return d
}

const textBody = `{{.Hello}}

{{.Intro}}:

{{.URL}}

{{.WorksOnce}}

{{.PrivacyLabel}} {{.Privacy}} {{.AddressUse}}
`

const htmlBody = `<!doctype html>
<html lang="{{.Lang}}"><body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p>{{.Hello}}</p>
<p>{{.Intro}}.</p>
<p><a href="{{.URL}}" style="display: inline-block; padding: .6em 1.2em; background: #1d4ed8; color: #fff; text-decoration: none; border-radius: 4px">{{.Button}}</a></p>
<p>{{.Copy}} <a href="{{.URL}}">{{.URL}}</a></p>
<p>{{.WorksOnce}}</p>
<p style="color: #444; font-size: .9em"><strong>{{.PrivacyLabel}}</strong> {{.Privacy}} {{.AddressUse}}</p>
</body></html>
`

var (
	textTmpl = texttemplate.Must(texttemplate.New("text").Parse(textBody))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(htmlBody))
)

// composeEmail writes the survey email's subject and both parts.
func composeEmail(d emailData) (subject, text, html string, err error) {
	var t, h bytes.Buffer
	if err := textTmpl.Execute(&t, d); err != nil {
		return "", "", "", err
	}
	if err := htmlTmpl.Execute(&h, d); err != nil {
		return "", "", "", err
	}
	// A subject is one header line whatever a name holds.
	subject = strings.Join(strings.Fields(d.Subject), " ")
	return subject, t.String(), h.String(), nil
}

// longDate shows a YYYY-MM-DD date as "Monday 4 May 2026" in p's language.
func longDate(p *i18n.Printer, date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return p.WeekdayDate(t)
}

// localExpiry shows a link's expiry in UTC, to the minute, in p's
// language: "Monday 4 May 2026, 09:30 UTC".
func localExpiry(p *i18n.Printer, t time.Time) string {
	t = t.UTC()
	return p.T("date.weekday_time", p.WeekdayDate(t), t.Format("15:04"))
}

// expiryText shows a link's expiry in UTC, to the minute.
func expiryText(t time.Time) string {
	return t.UTC().Format("Monday 2 January 2006, 15:04 UTC")
}
