package api_test

import (
	"html/template"
	"strings"
	"testing"
)

// TestHoldsSurveyURLLooksPastInlineImages: the probe for survey links must
// not fire on a QR code's base64 as html/template writes it into an
// attribute ("+" becomes "&#43;"), and must still fire on a real link.
func TestHoldsSurveyURLLooksPastInlineImages(t *testing.T) {
	tpl := template.Must(template.New("page").Parse(`<img src="{{.Img}}"><p>{{.Text}}</p>`))
	render := func(text string) string {
		var b strings.Builder
		err := tpl.Execute(&b, map[string]any{
			"Img":  template.URL("data:image/png;base64,iVBO+R/s/w0K+Gg=="),
			"Text": text,
		})
		if err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if page := render("no link here"); !strings.Contains(page, "&#43;") || holdsSurveyURL(page) {
		t.Errorf("an inline image was taken for a survey link: %s", page)
	}
	if page := render("https://mp.example/s/abc"); !holdsSurveyURL(page) {
		t.Errorf("a survey link beside an inline image was missed: %s", page)
	}
}
