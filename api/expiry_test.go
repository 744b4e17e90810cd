package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
)

func TestLinkExpiry(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending) // expires testNow + 14 days
	expiry := testNow.Add(models.DefaultLinkLifetime)

	f.setNow(expiry.Add(-time.Second))
	if rec := f.get("/api/v1/surveys/" + token); rec.Code != http.StatusOK {
		t.Fatalf("a second before expiry: GET status %d, want 200", rec.Code)
	}

	f.setNow(expiry)
	for _, req := range []struct{ name, method, path, ct, body string }{
		{"api-get", "GET", "/api/v1/surveys/" + token, "", ""},
		{"api-submit", "POST", "/api/v1/surveys/" + token, "application/json", validBody},
		{"api-decline", "POST", "/api/v1/surveys/" + token + "/decline", "application/json", `{"reason":"meeting_did_not_happen"}`},
	} {
		rec := f.do(req.method, req.path, req.ct, req.body)
		if rec.Code != http.StatusGone {
			t.Fatalf("%s at expiry: status %d, want 410; body %s", req.name, rec.Code, rec.Body)
		}
		if p := readProblem(t, rec); p.Detail != models.MsgExpired {
			t.Errorf("%s at expiry: detail %q, want %q", req.name, p.Detail, models.MsgExpired)
		}
	}
	for _, path := range []string{"/s/" + token, "/s/" + token + "/decline"} {
		rec := f.get(path)
		if path != "/s/"+token {
			rec = f.postForm(path, nil)
		}
		if rec.Code != http.StatusGone {
			t.Errorf("page %s at expiry: status %d, want 410", path, rec.Code)
		}
	}
	if got := f.storedResponses(); got != 0 {
		t.Errorf("stored responses = %d, want 0", got)
	}
	if got := f.storedLinkFor(token).Status; got != models.StatusPending {
		t.Errorf("before the sweep the stored status is %q, want pending (expiry is derived)", got)
	}
}

func TestExpireLinksMarksOnlyOverduePending(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	overdue := f.newLink(linkPending)
	answered := f.newLink(linkAnswered)
	declined := f.newLink(linkDeclined)
	f.setNow(testNow.Add(10 * 24 * time.Hour))
	fresh := f.newLink(linkPending) // expires 10 days after the others

	f.setNow(testNow.Add(models.DefaultLinkLifetime + time.Minute))
	n, err := f.db.ExpireLinks(ctx)
	if err != nil {
		t.Fatalf("ExpireLinks: %v", err)
	}
	if n != 1 {
		t.Errorf("ExpireLinks changed %d links, want 1", n)
	}
	got := map[string]string{}
	for name, tok := range map[string]string{"overdue": overdue, "answered": answered, "declined": declined, "fresh": fresh} {
		got[name] = f.storedLinkFor(tok).Status
	}
	want := map[string]string{"overdue": "expired", "answered": "completed", "declined": "declined", "fresh": "pending"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored statuses (-want +got):\n%s", diff)
	}
	if n, _ := f.db.ExpireLinks(ctx); n != 0 {
		t.Errorf("second ExpireLinks changed %d links, want 0", n)
	}
	rec := f.get("/api/v1/surveys/" + overdue)
	if rec.Code != http.StatusGone || readProblem(t, rec).Detail != models.MsgExpired {
		t.Errorf("swept link: status %d body %s, want 410 expired", rec.Code, rec.Body)
	}
	if rec := f.get("/api/v1/surveys/" + fresh); rec.Code != http.StatusOK {
		t.Errorf("fresh link after the sweep: status %d, want 200", rec.Code)
	}
}

func TestDeclineClosesLinkWithoutResponse(t *testing.T) {
	for _, via := range []string{"api", "form"} {
		t.Run("decline-via-"+via, func(t *testing.T) {
			f := newFixture(t)
			token := f.newLink(linkPending)
			if via == "api" {
				if rec := f.postJSON("/api/v1/surveys/"+token+"/decline", `{"reason":"meeting_did_not_happen"}`); rec.Code != http.StatusNoContent {
					t.Fatalf("decline: status %d, want 204; body %s", rec.Code, rec.Body)
				}
			} else if rec := f.postForm("/s/"+token+"/decline", nil); rec.Code != http.StatusOK {
				t.Fatalf("decline form: status %d, want 200", rec.Code)
			}
			for name, rec := range map[string]*httptest.ResponseRecorder{
				"api-get":    f.get("/api/v1/surveys/" + token),
				"api-submit": f.postJSON("/api/v1/surveys/"+token, validBody),
				"page-get":   f.get("/s/" + token),
				"page-post":  f.postForm("/s/"+token, validForm()),
			} {
				if rec.Code != http.StatusGone {
					t.Errorf("%s after decline: status %d, want 410", name, rec.Code)
				}
				if strings.HasPrefix(name, "api") && readProblem(t, rec).Detail != models.MsgDeclined {
					t.Errorf("%s after decline: detail %q, want %q", name, readProblem(t, rec).Detail, models.MsgDeclined)
				}
			}
			if got := f.storedResponses(); got != 0 {
				t.Errorf("stored responses = %d, want 0", got)
			}
			if got := f.storedLinkFor(token); got.Status != models.StatusDeclined || got.MenteeKey != nil {
				t.Errorf("stored link = %+v, want declined with no completed week", got)
			}
		})
	}
}
