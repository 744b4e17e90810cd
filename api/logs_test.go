package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestTokensNeverLogged(t *testing.T) {
	f := newFixture(t)
	pageTok := f.newLink(linkPending)
	apiTok := f.newLink(linkPending)
	declineTok := f.newLink(linkPending)
	formDeclineTok := f.newLink(linkPending)
	unknownTok := f.newLink(linkUnknown)
	tokens := []string{pageTok, apiTok, declineTok, formDeclineTok, unknownTok}

	type logged struct {
		method, path, ct, body string
		wantRoute              string
		wantStatus             int
	}
	form := validForm().Encode()
	reqs := []logged{
		{"GET", "/s/" + pageTok, "", "", "/s/:token", 200},
		{"POST", "/s/" + pageTok, "application/x-www-form-urlencoded", url.Values{"A1": {"9"}}.Encode(), "/s/:token", 422},
		{"POST", "/s/" + pageTok, "application/x-www-form-urlencoded", form, "/s/:token", 200},
		{"POST", "/s/" + formDeclineTok + "/decline", "application/x-www-form-urlencoded", "", "/s/:token/decline", 200},
		{"GET", "/api/v1/surveys/" + apiTok, "", "", "/api/v1/surveys/:token", 200},
		{"POST", "/api/v1/surveys/" + apiTok, "application/json", validBody, "/api/v1/surveys/:token", 201},
		{"POST", "/api/v1/surveys/" + apiTok, "application/json", validBody, "/api/v1/surveys/:token", 410},
		{"POST", "/api/v1/surveys/" + declineTok + "/decline", "application/json", `{"reason":"meeting_did_not_happen"}`, "/api/v1/surveys/:token/decline", 204},
		{"GET", "/api/v1/surveys/" + unknownTok, "", "", "/api/v1/surveys/:token", 404},
		{"GET", "/s/" + unknownTok, "", "", "/s/:token", 404},
		// No route took these: the line names none and holds no path.
		{"GET", "/s/" + unknownTok + "/no/such/page", "", "", "(unmatched)", 404},
		{"PUT", "/api/v1/surveys/" + unknownTok, "application/json", "{}", "/api/v1/surveys/:token", 405},
		{"GET", "//s/" + unknownTok, "", "", "(unmatched)", 404},
		{"GET", "/survey/" + unknownTok, "", "", "(unmatched)", 404},
	}
	for _, r := range reqs {
		before := len(f.logs.String())
		rec := f.do(r.method, r.path, r.ct, r.body)
		if rec.Code != r.wantStatus {
			t.Fatalf("%s %s: status %d, want %d", r.method, r.wantRoute, rec.Code, r.wantStatus)
		}
		line := f.logs.String()[before:]
		for _, want := range []string{"method=" + r.method, "route=" + r.wantRoute + " ", "status=" + strconv.Itoa(r.wantStatus), "request_id="} {
			if !strings.Contains(line, want) {
				t.Errorf("%s %s: log line lacks %q:\n%s", r.method, r.wantRoute, want, line)
			}
		}
	}

	// An internal error is logged with its cause, still without the token.
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	lateTok := f.newLink(linkUnknown)
	tokens = append(tokens, lateTok)
	if rec := f.postJSON("/api/v1/surveys/"+lateTok, validBody); rec.Code != http.StatusInternalServerError {
		t.Fatalf("submit with the database closed: status %d, want 500", rec.Code)
	} else if p := readProblem(t, rec); p.Detail != "internal error" {
		t.Errorf("500 detail = %q, want only \"internal error\"", p.Detail)
	}

	logs := f.logs.String()
	if !strings.Contains(logs, "status=500") || !strings.Contains(logs, "level=ERROR") {
		t.Errorf("internal error not logged:\n%s", logs)
	}
	for _, tok := range tokens {
		if strings.Contains(logs, tok) || strings.Contains(logs, tok[:12]) {
			t.Errorf("logs contain token %s:\n%s", tok, logs)
		}
	}
}

// A token in a path no route takes is logged neither whole nor in part,
// whatever surrounds it: mail clients and chat apps glue punctuation to
// links, and a path pattern cannot foresee every shape.
func TestUnmatchedPathsLogNoPathText(t *testing.T) {
	f := newFixture(t)
	tok := f.newLink(linkPending)
	paths := []string{
		"/foo/" + tok + ".,",
		"/foo/" + tok + ".",
		"/foo/(" + tok + ")",
		"/foo/%22" + tok + "%22",
		"/" + tok + ",",
		"/s/" + tok + "/.,",
		"//s/" + tok + ".",
		"/api/v1/surveys/" + tok + "/x.,",
	}
	for _, p := range paths {
		before := len(f.logs.String())
		rec := f.get(p)
		line := f.logs.String()[before:]
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMovedPermanently {
			t.Errorf("GET %q: status %d, want 404", p, rec.Code)
		}
		if !strings.Contains(line, "route=(unmatched) ") {
			t.Errorf("GET %q: log line does not mark the request unmatched:\n%s", p, line)
		}
		if strings.Contains(line, tok[:8]) || strings.Contains(line, "foo") {
			t.Errorf("GET %q: log line holds path text:\n%s", p, line)
		}
	}
	// A method HTTP does not define is request text as well.
	before := len(f.logs.String())
	f.do(tok[:20], "/foo", "", "")
	if line := f.logs.String()[before:]; strings.Contains(line, tok[:8]) || !strings.Contains(line, "method=OTHER") {
		t.Errorf("custom method logged as sent:\n%s", line)
	}
}
