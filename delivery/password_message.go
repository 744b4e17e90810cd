package delivery

import (
	"bytes"
	htmltemplate "html/template"
	"strconv"
	texttemplate "text/template"
)

// passwordEmailData is what both parts of a set-password email show.
type passwordEmailData struct {
	Name    string
	Email   string
	URL     string
	Expires string
	Reset   bool
}

const passwordSubject = "Set a new Mentorpulse password"

const passwordTextBody = `Hello{{if .Name}} {{.Name}}{{end}},

{{if .Reset}}Someone, hopefully you, asked to set a new password for the Mentorpulse account {{.Email}}.{{else}}A Mentorpulse account was made for {{.Email}}.{{end}} To choose a password, open this link:

{{.URL}}

The link works once and stays open until {{.Expires}}.{{if .Reset}} If you did not ask for it, ignore this email: your password stays as it is.{{end}}
`

const passwordHTMLBody = `<!doctype html>
<html lang="en"><body style="font-family: sans-serif; line-height: 1.5; max-width: 36em">
<p>Hello{{if .Name}} {{.Name}}{{end}},</p>
<p>{{if .Reset}}Someone, hopefully you, asked to set a new password for the Mentorpulse account {{.Email}}.{{else}}A Mentorpulse account was made for {{.Email}}.{{end}}</p>
<p><a href="{{.URL}}" style="display: inline-block; padding: .6em 1.2em; background: #1d4ed8; color: #fff; text-decoration: none; border-radius: 4px">Choose a password</a></p>
<p>Or copy this link: <a href="{{.URL}}">{{.URL}}</a></p>
<p>The link works once and stays open until {{.Expires}}.{{if .Reset}} If you did not ask for it, ignore this email: your password stays as it is.{{end}}</p>
</body></html>
`

var (
	passwordTextTmpl = texttemplate.Must(texttemplate.New("text").Parse(passwordTextBody))
	passwordHTMLTmpl = htmltemplate.Must(htmltemplate.New("html").Parse(passwordHTMLBody))
)

// composePasswordEmail writes a set-password email's subject and both parts.
func composePasswordEmail(d passwordEmailData) (subject, text, html string, err error) {
	var t, h bytes.Buffer
	if err := passwordTextTmpl.Execute(&t, d); err != nil {
		return "", "", "", err
	}
	if err := passwordHTMLTmpl.Execute(&h, d); err != nil {
		return "", "", "", err
	}
	return passwordSubject, t.String(), h.String(), nil
}

// passwordMessageID is stable per link, so a message sent again after a
// crash is recognisably the same one.
func (s *Service) passwordMessageID(linkID int64) string {
	return "password-link-" + strconv.FormatInt(linkID, 10) + "@" + s.messageHost()
}
