package delivery

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

// emailData is what both parts of a survey email show.
type emailData struct {
	MenteeName   string
	ResidentName string
	ProgramName  string
	MeetingDate  string
	URL          string
	Expires      string
	Reminder     bool
	Reminders    int
}

const subjectFirst = "Feedback on your meeting with {{.ResidentName}}"
const subjectReminder = "Reminder: feedback on your meeting with {{.ResidentName}}"

const textBody = `Hello{{if .MenteeName}} {{.MenteeName}}{{end}},

{{if .Reminder}}A short reminder: {{end}}{{.ResidentName}} ({{.ProgramName}}) would value your feedback on your mentoring meeting on {{.MeetingDate}}. It takes about a minute:

{{.URL}}

The link works once and stays open until {{.Expires}}. If the meeting did not happen, you can say so on that page and the link closes.

Privacy: your answers are anonymous. {{.ResidentName}} sees them only combined with other mentees' answers, never with your name or email address. Your address is used only to send this link{{if .Reminders}} and at most {{.Reminders}} reminder{{if gt .Reminders 1}}s{{end}}{{end}}, and it is deleted as soon as you answer or the link closes.
`

const htmlBody = `<!doctype html>
<html lang="en"><body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p>Hello{{if .MenteeName}} {{.MenteeName}}{{end}},</p>
<p>{{if .Reminder}}A short reminder: {{end}}{{.ResidentName}} ({{.ProgramName}}) would value your feedback on your mentoring meeting on {{.MeetingDate}}. It takes about a minute.</p>
<p><a href="{{.URL}}" style="display: inline-block; padding: .6em 1.2em; background: #1d4ed8; color: #fff; text-decoration: none; border-radius: 4px">Give feedback</a></p>
<p>Or copy this link: <a href="{{.URL}}">{{.URL}}</a></p>
<p>The link works once and stays open until {{.Expires}}. If the meeting did not happen, you can say so on that page and the link closes.</p>
<p style="color: #444; font-size: .9em"><strong>Privacy:</strong> your answers are anonymous. {{.ResidentName}} sees them only combined with other mentees' answers, never with your name or email address. Your address is used only to send this link{{if .Reminders}} and at most {{.Reminders}} reminder{{if gt .Reminders 1}}s{{end}}{{end}}, and it is deleted as soon as you answer or the link closes.</p>
</body></html>
`

var (
	subjectTmpl = map[bool]*texttemplate.Template{
		false: texttemplate.Must(texttemplate.New("s").Parse(subjectFirst)),
		true:  texttemplate.Must(texttemplate.New("s").Parse(subjectReminder)),
	}
	textTmpl = texttemplate.Must(texttemplate.New("text").Parse(textBody))
	htmlTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(htmlBody))
)

// composeEmail writes the survey email's subject and both parts.
func composeEmail(d emailData) (subject, text, html string, err error) {
	var s, t, h bytes.Buffer
	if err := subjectTmpl[d.Reminder].Execute(&s, d); err != nil {
		return "", "", "", err
	}
	if err := textTmpl.Execute(&t, d); err != nil {
		return "", "", "", err
	}
	if err := htmlTmpl.Execute(&h, d); err != nil {
		return "", "", "", err
	}
	// A subject is one header line whatever a name holds.
	subject = strings.Join(strings.Fields(s.String()), " ")
	return subject, t.String(), h.String(), nil
}

// longDate shows a YYYY-MM-DD date as "Monday 4 May 2026".
func longDate(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("Monday 2 January 2006")
}

// expiryText shows a link's expiry in UTC, to the minute.
func expiryText(t time.Time) string {
	return t.UTC().Format("Monday 2 January 2006, 15:04 UTC")
}
