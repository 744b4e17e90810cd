package delivery

import (
	"bytes"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

// feedbackReadyData is what both parts of a "feedback ready" email show:
// the window's months and the dashboard's address, and nothing of the
// feedback itself (no figure, comment or count), so that the email says no
// more than that a release happened.
type feedbackReadyData struct {
	Name   string
	Window string // "October–December 2026"
	URL    string
}

const feedbackReadySubject = "Your feedback for {{.Window}} is ready"

const feedbackReadyTextBody = `Hello{{if .Name}} {{.Name}}{{end}},

Your mentees' feedback for {{.Window}} is ready. Sign in to read it on your dashboard:

{{.URL}}

This email holds none of the feedback itself: it is on your dashboard only.
`

const feedbackReadyHTMLBody = `<!doctype html>
<html lang="en"><body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p>Hello{{if .Name}} {{.Name}}{{end}},</p>
<p>Your mentees' feedback for {{.Window}} is ready. Sign in to read it on your dashboard.</p>
<p><a href="{{.URL}}" style="display: inline-block; padding: .6em 1.2em; background: #1d4ed8; color: #fff; text-decoration: none; border-radius: 4px">Open your dashboard</a></p>
<p>Or copy this link: <a href="{{.URL}}">{{.URL}}</a></p>
<p style="color: #444; font-size: .9em">This email holds none of the feedback itself: it is on your dashboard only.</p>
</body></html>
`

var (
	feedbackReadySubjectTmpl = texttemplate.Must(texttemplate.New("subject").Parse(feedbackReadySubject))
	feedbackReadyTextTmpl    = texttemplate.Must(texttemplate.New("text").Parse(feedbackReadyTextBody))
	feedbackReadyHTMLTmpl    = htmltemplate.Must(htmltemplate.New("html").Parse(feedbackReadyHTMLBody))
)

// composeFeedbackReadyEmail writes a "feedback ready" email's subject and
// both parts. Staff emails are English.
func composeFeedbackReadyEmail(d feedbackReadyData) (subject, text, html string, err error) {
	var sb, t, h bytes.Buffer
	if err := feedbackReadySubjectTmpl.Execute(&sb, d); err != nil {
		return "", "", "", err
	}
	if err := feedbackReadyTextTmpl.Execute(&t, d); err != nil {
		return "", "", "", err
	}
	if err := feedbackReadyHTMLTmpl.Execute(&h, d); err != nil {
		return "", "", "", err
	}
	return strings.Join(strings.Fields(sb.String()), " "), t.String(), h.String(), nil
}
