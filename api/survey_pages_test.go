package api_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// validForm is a complete form submission as a browser sends it.
func validForm() url.Values {
	return url.Values{
		"A1": {"5"}, "A2": {"4"}, "C1": {"4"}, "C2": {"3"}, "C3": {"5"},
		"S1": {"5"}, "S2": {"na"}, "S3": {"4"}, "G": {"5"},
		"keep_doing": {"Made time."}, "next_time": {""},
	}
}

// answeredText is what a used link's page says: most often it answers the
// mentee's own retry, so it reads as the success it was, not as a refusal.
const answeredText = "This link has been used, and the answers sent with it are stored."

func TestSurveyPageStatuses(t *testing.T) {
	tests := []struct {
		name       string
		link       string
		method     string
		suffix     string
		form       url.Values
		raw        string // sent as is instead of form
		wantStatus int
		wantText   string // shown on the page, unescaped
		wantStored int64
	}{
		{name: "page-200-form", link: linkPending, method: "GET", wantStatus: 200, wantText: "How was your meeting with Dr. Ada Lovelace?"},
		{name: "page-404-unknown-token", link: linkUnknown, method: "GET", wantStatus: 404, wantText: "Survey link not found"},
		{name: "page-404-malformed-token", link: linkMalformed, method: "GET", wantStatus: 404, wantText: "Survey link not found"},
		{name: "page-410-already-answered", link: linkAnswered, method: "GET", wantStatus: 410, wantText: answeredText, wantStored: 1},
		{name: "page-410-expired", link: linkExpired, method: "GET", wantStatus: 410, wantText: models.MsgExpired},
		{name: "page-410-declined", link: linkDeclined, method: "GET", wantStatus: 410, wantText: models.MsgDeclined},
		{name: "form-200-thank-you", link: linkPending, method: "POST", form: validForm(), wantStatus: 200, wantText: "Your feedback was received.", wantStored: 1},
		{name: "form-404-unknown-token", link: linkUnknown, method: "POST", form: validForm(), wantStatus: 404, wantText: "Survey link not found"},
		{name: "form-410-already-answered", link: linkAnswered, method: "POST", form: validForm(), wantStatus: 410, wantText: answeredText, wantStored: 1},
		{name: "form-410-expired", link: linkExpired, method: "POST", form: validForm(), wantStatus: 410, wantText: models.MsgExpired},
		{name: "form-410-declined", link: linkDeclined, method: "POST", form: validForm(), wantStatus: 410, wantText: models.MsgDeclined},
		{name: "form-422-nothing-chosen", link: linkPending, method: "POST", form: url.Values{}, wantStatus: 422, wantText: "9 statements still need an answer"},
		{name: "form-422-all-not-applicable", link: linkPending, method: "POST", form: allValues("na"), wantStatus: 422, wantText: "Rate at least one statement"},
		{name: "form-422-out-of-range", link: linkPending, method: "POST", form: withValue(validForm(), "G", "6"), wantStatus: 422, wantText: "Choose one of the answers shown."},
		{name: "form-413-over-limit", link: linkPending, method: "POST", form: withValue(validForm(), "keep_doing", strings.Repeat("x", 64<<10)), wantStatus: 413},
		{name: "form-400-malformed-encoding", link: linkPending, method: "POST", raw: "A1=%zz&A2=5", wantStatus: 400},
		{name: "decline-form-200-closed", link: linkPending, method: "POST", suffix: "/decline", form: url.Values{"reason": {"meeting_did_not_happen"}}, wantStatus: 200, wantText: "no answers were stored"},
		{name: "decline-form-404-unknown-token", link: linkUnknown, method: "POST", suffix: "/decline", wantStatus: 404, wantText: "Survey link not found"},
		{name: "decline-form-410-already-answered", link: linkAnswered, method: "POST", suffix: "/decline", wantStatus: 410, wantText: answeredText, wantStored: 1},
		{name: "decline-form-410-expired", link: linkExpired, method: "POST", suffix: "/decline", wantStatus: 410, wantText: models.MsgExpired},
	}
	shared := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := shared.sub(t)
			before := f.storedResponses()
			token := f.newLink(tt.link)
			var rec = f.get("/s/" + token)
			if tt.method == http.MethodPost {
				rec = f.postForm("/s/"+token+tt.suffix, tt.form)
				if tt.raw != "" {
					rec = f.do(http.MethodPost, "/s/"+token, "application/x-www-form-urlencoded", tt.raw)
				}
			}
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type = %q, want an HTML page", ct)
			}
			if page := html.UnescapeString(rec.Body.String()); !strings.Contains(page, tt.wantText) {
				t.Errorf("page does not say %q:\n%s", tt.wantText, page)
			}
			if got := f.storedResponses() - before; got != tt.wantStored {
				t.Errorf("responses stored by this case = %d, want %d", got, tt.wantStored)
			}
		})
	}
}

func TestSurveyPageForm(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	rec := f.get("/s/" + token)
	page := html.UnescapeString(rec.Body.String())
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store: the page carries the token", cc)
	}
	for _, want := range []string{
		`<form method="post" action="/s/` + token + `"`,
		"Dr. Ada Lovelace", "Internal Medicine", "Friday 20 November 2026",
		"Dr. Ada Lovelace sees your answers only combined with at least 3 mentees' answers, and only after the quarter (October–December 2026) ends.",
		"nobody, administrators included, can tell which answers are yours",
		`<textarea id="keep_doing" name="keep_doing"`, `<textarea id="next_time" name="next_time"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	for _, key := range []string{"A1", "A2", "C1", "C2", "C3", "S1", "S2", "S3", "G"} {
		block := itemBlock(t, page, key)
		if !strings.Contains(block, "<legend>") {
			t.Errorf("item %s has no legend", key)
		}
		if n := len(radioRE.FindAllString(block, -1)); n != 6 {
			t.Errorf("item %s has %d radio inputs, want 6 (1..5 and not applicable)", key, n)
		}
	}
	if strings.Contains(page, "<script>") || regexp.MustCompile(`<script[^>]*>[^<]`).MatchString(page) {
		t.Error("page carries inline script")
	}
}

func TestSurveyPageKeepsInputOnError(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	form := validForm()
	form.Del("A2")
	form.Set("C3", "7")
	form.Set("keep_doing", `Great <script>alert("x")</script> & more`)
	form.Set("next_time", strings.Repeat("y", 1001))
	rec := f.postForm("/s/"+token, form)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status = %d, want 422; body %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	if f.storedResponses() != 0 {
		t.Error("a form with errors stored a response")
	}
	// Each error sits inside its own item, and only there.
	for key, bad := range map[string]bool{"A1": false, "A2": true, "C3": true, "G": false, "next_time": true, "keep_doing": false} {
		block := itemBlock(t, page, key)
		if got := strings.Contains(block, `class="field-error" id="err-`+key+`"`); got != bad {
			t.Errorf("item %s shows an error: %v, want %v", key, got, bad)
		}
	}
	// Choices made are kept.
	for key, value := range map[string]string{"A1": "5", "S2": "na", "G": "5"} {
		want := `name="` + key + `" value="` + value + `" checked`
		if !strings.Contains(itemBlock(t, page, key), want) {
			t.Errorf("item %s lost its choice %s", key, value)
		}
	}
	if strings.Contains(itemBlock(t, page, "A2"), "checked") {
		t.Error("item A2 shows a choice the mentee never made")
	}
	// The comment is kept, escaped, never as live markup.
	if !strings.Contains(page, `Great &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more</textarea>`) {
		t.Errorf("comment not kept escaped in its textarea:\n%s", itemBlock(t, page, "keep_doing"))
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("comment markup rendered unescaped")
	}
	if !strings.Contains(page, strings.Repeat("y", 1001)+"</textarea>") {
		t.Error("over-long comment not kept for the mentee to shorten")
	}
	// The link is still open: a corrected form goes through.
	if rec := f.postForm("/s/"+token, validForm()); rec.Code != http.StatusOK || f.storedResponses() != 1 {
		t.Errorf("corrected form: status %d, stored %d; want 200 and 1", rec.Code, f.storedResponses())
	}
}

func TestSurveyPageAcceptsLongNonLatinComments(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	// 1,000 characters is the limit whatever the script; a browser sends
	// each of these as nine bytes of percent-encoding.
	form := withValue(withValue(validForm(), "keep_doing", strings.Repeat("良", 1000)), "next_time", strings.Repeat("改", 1000))
	rec := f.postForm("/s/"+token, form)
	if rec.Code != http.StatusOK || f.storedResponses() != 1 {
		t.Fatalf("status = %d, stored %d; want 200 and 1; body %s", rec.Code, f.storedResponses(), rec.Body)
	}
}

var radioRE = regexp.MustCompile(`<input type="radio"`)

// itemBlock returns the markup of one item (fieldset or comment block).
func itemBlock(t testing.TB, page, key string) string {
	t.Helper()
	start := strings.Index(page, `id="item-`+key+`"`)
	if start < 0 {
		t.Fatalf("page has no item %s", key)
	}
	rest := page[start:]
	end := strings.Index(rest, "</fieldset>")
	if e := strings.Index(rest, "</textarea>"); e >= 0 && (end < 0 || e < end) {
		end = e + len("</textarea>")
	}
	if end < 0 {
		end = len(rest)
	}
	return rest[:end]
}

func allValues(v string) url.Values {
	out := url.Values{}
	for _, k := range []string{"A1", "A2", "C1", "C2", "C3", "S1", "S2", "S3", "G"} {
		out.Set(k, v)
	}
	return out
}

func withValue(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = x
	}
	out.Set(key, value)
	return out
}

// A closed link's page says why in its heading, for viewing and for
// submitting alike, including a form that would not validate.
func TestSurveyPageClosedTitles(t *testing.T) {
	tests := []struct {
		name, link string
		form       url.Values
		wantTitle  string
	}{
		{name: "page-410-titled-already-answered", link: linkAnswered, wantTitle: "Your answers were received"},
		{name: "page-410-titled-expired", link: linkExpired, wantTitle: "This link has expired"},
		{name: "page-410-titled-declined", link: linkDeclined, wantTitle: "Survey closed"},
		{name: "form-410-titled-already-answered", link: linkAnswered, form: validForm(), wantTitle: "Your answers were received"},
		{name: "form-410-titled-expired-with-invalid-form", link: linkExpired, form: url.Values{}, wantTitle: "This link has expired"},
		{name: "form-410-titled-declined", link: linkDeclined, form: validForm(), wantTitle: "Survey closed"},
	}
	shared := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := shared.sub(t)
			token := f.newLink(tt.link)
			rec := f.get("/s/" + token)
			if tt.form != nil {
				rec = f.postForm("/s/"+token, tt.form)
			}
			if rec.Code != http.StatusGone {
				t.Fatalf("status = %d, want 410; body %s", rec.Code, rec.Body)
			}
			if want := "<h1>" + tt.wantTitle + "</h1>"; !strings.Contains(rec.Body.String(), want) {
				t.Errorf("page lacks %q:\n%s", want, rec.Body)
			}
		})
	}
}

// TestSurveyPrivacyNoteStatesTheProgramsReleaseRule: the note names the
// program's own min_mentees and the window the answer will belong to, so
// a mentee knows when and with how many others their answer is shown.
func TestSurveyPrivacyNoteStatesTheProgramsReleaseRule(t *testing.T) {
	f := newFixture(t)
	if err := f.db.UpdateWindowSettings(context.Background(), f.program.ID,
		models.WindowSettings{ReleaseWindow: surveys.WindowHalf, AcademicYearStartMonth: 9, MinMentees: 5}); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(f.get("/s/" + f.newLink(linkPending)).Body.String())
	for _, want := range []string{
		"Dr. Ada Lovelace sees your answers only combined with at least 5 mentees' answers, and only after the half (September 2026–February 2027) ends.",
		"nobody, administrators included, can tell which answers are yours",
		"Comments are shown word for word with the combined results",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the survey page lacks %q", want)
		}
	}
}
