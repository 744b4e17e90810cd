package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// apiCase is one request to the survey JSON API and what the client sees.
type apiCase struct {
	name        string
	link        string // state passed to newLink
	method      string
	suffix      string // after /api/v1/surveys/{token}
	contentType string
	body        string
	wantStatus  int
	wantDetail  string   // for problems; "" skips the check
	wantFields  []string // for 422 problems
	wantStored  int64    // responses stored after the request
}

func TestSurveyAPIStatuses(t *testing.T) {
	const ctJSON = "application/json"
	notFound := "This survey link does not exist. Check that the whole link was copied."
	tests := []apiCase{
		{name: "get-200-pending", link: linkPending, method: "GET", wantStatus: 200},
		{name: "get-404-unknown-token", link: linkUnknown, method: "GET", wantStatus: 404, wantDetail: notFound},
		{name: "get-404-malformed-token", link: linkMalformed, method: "GET", wantStatus: 404, wantDetail: notFound},
		{name: "get-410-already-answered", link: linkAnswered, method: "GET", wantStatus: 410, wantDetail: models.MsgCompleted, wantStored: 1},
		{name: "get-410-expired", link: linkExpired, method: "GET", wantStatus: 410, wantDetail: models.MsgExpired},
		{name: "get-410-declined", link: linkDeclined, method: "GET", wantStatus: 410, wantDetail: models.MsgDeclined},

		{name: "submit-201-received", link: linkPending, method: "POST", contentType: ctJSON, body: validBody, wantStatus: 201, wantStored: 1},
		{name: "submit-201-json-with-charset", link: linkPending, method: "POST", contentType: "application/json; charset=utf-8", body: validBody, wantStatus: 201, wantStored: 1},
		{name: "submit-201-body-of-exactly-16-kib", link: linkPending, method: "POST", contentType: ctJSON, body: validBody + strings.Repeat(" ", surveys.MaxBodyBytes-len(validBody)), wantStatus: 201, wantStored: 1},
		{name: "submit-404-unknown-token", link: linkUnknown, method: "POST", contentType: ctJSON, body: validBody, wantStatus: 404, wantDetail: notFound},
		{name: "submit-404-malformed-token", link: linkMalformed, method: "POST", contentType: ctJSON, body: validBody, wantStatus: 404, wantDetail: notFound},
		{name: "submit-410-already-used", link: linkAnswered, method: "POST", contentType: ctJSON, body: validBody, wantStatus: 410, wantDetail: models.MsgCompleted, wantStored: 1},
		{name: "submit-410-expired", link: linkExpired, method: "POST", contentType: ctJSON, body: validBody, wantStatus: 410, wantDetail: models.MsgExpired},
		{name: "submit-410-declined", link: linkDeclined, method: "POST", contentType: ctJSON, body: validBody, wantStatus: 410, wantDetail: models.MsgDeclined},
		{name: "submit-404-unknown-token-with-invalid-body", link: linkUnknown, method: "POST", contentType: ctJSON, body: `{"answers":{}}`, wantStatus: 404, wantDetail: notFound},
		{name: "submit-404-malformed-token-with-invalid-body", link: linkMalformed, method: "POST", contentType: ctJSON, body: `{`, wantStatus: 404, wantDetail: notFound},
		{name: "submit-410-already-used-with-invalid-body", link: linkAnswered, method: "POST", contentType: ctJSON, body: `{"answers":{"A1":9}}`, wantStatus: 410, wantDetail: models.MsgCompleted, wantStored: 1},
		{name: "submit-410-expired-with-invalid-body", link: linkExpired, method: "POST", contentType: ctJSON, body: `{}`, wantStatus: 410, wantDetail: models.MsgExpired},
		{name: "submit-422-item-missing", link: linkPending, method: "POST", contentType: ctJSON, body: answersBody("3", "A1", ""), wantStatus: 422, wantFields: []string{"answers.A1"}},
		{name: "submit-422-all-not-applicable", link: linkPending, method: "POST", contentType: ctJSON, body: answersBody("null", "", ""), wantStatus: 422, wantFields: []string{"answers"}},
		{name: "submit-422-out-of-range", link: linkPending, method: "POST", contentType: ctJSON, body: answersBody("3", "G", "6"), wantStatus: 422, wantFields: []string{"answers.G"}},
		{name: "submit-422-wrong-type", link: linkPending, method: "POST", contentType: ctJSON, body: answersBody("3", "C2", `"4"`), wantStatus: 422, wantFields: []string{"answers.C2"}},
		{name: "submit-422-unknown-item", link: linkPending, method: "POST", contentType: ctJSON, body: strings.Replace(answersBody("3", "", ""), `{"answers":{`, `{"answers":{"Q7":1,`, 1), wantStatus: 422, wantFields: []string{"answers.Q7"}},
		{
			name: "submit-422-one-entry-per-bad-field", link: linkPending, method: "POST", contentType: ctJSON,
			body:       `{"answers":{"A1":0,"A2":"x","C1":3,"C2":3,"C3":3,"S1":3,"S2":3,"G":3,"Z1":2},"comments":{"keep_doing":"` + strings.Repeat("a", 1001) + `","mood":"ok"}}`,
			wantStatus: 422, wantFields: []string{"answers.A1", "answers.A2", "answers.S3", "answers.Z1", "comments.keep_doing", "comments.mood"},
		},
		{name: "submit-422-unknown-top-level-field", link: linkPending, method: "POST", contentType: ctJSON, body: strings.TrimSuffix(validBody, "}") + `,"email":"me@example.org"}`, wantStatus: 422, wantFields: []string{"email"}},
		{name: "submit-400-malformed-json", link: linkPending, method: "POST", contentType: ctJSON, body: `{"answers":`, wantStatus: 400},
		{name: "submit-400-empty-body", link: linkPending, method: "POST", contentType: ctJSON, body: ``, wantStatus: 400},
		{name: "submit-400-not-an-object", link: linkPending, method: "POST", contentType: ctJSON, body: `[1]`, wantStatus: 400},
		{name: "submit-422-repeated-answer", link: linkPending, method: "POST", contentType: ctJSON, body: strings.Replace(validBody, `"G":`, `"G":1,"G":`, 1), wantStatus: 422, wantFields: []string{"answers.G"}},
		{name: "submit-422-repeated-comment", link: linkPending, method: "POST", contentType: ctJSON, body: strings.Replace(validBody, `"keep_doing":"Made time."`, `"keep_doing":"a","keep_doing":"b"`, 1), wantStatus: 422, wantFields: []string{"comments.keep_doing"}},
		{name: "submit-422-comment-nul", link: linkPending, method: "POST", contentType: ctJSON, body: strings.Replace(validBody, `Made time.`, `a\u0000b`, 1), wantStatus: 422, wantFields: []string{"comments.keep_doing"}},
		{name: "submit-415-text-plain", link: linkPending, method: "POST", contentType: "text/plain", body: validBody, wantStatus: 415},
		{name: "submit-415-no-content-type", link: linkPending, method: "POST", body: validBody, wantStatus: 415},
		{name: "submit-415-form-encoded", link: linkPending, method: "POST", contentType: "application/x-www-form-urlencoded", body: "A1=5", wantStatus: 415},
		{name: "submit-413-over-16-kib", link: linkPending, method: "POST", contentType: ctJSON, body: validBody + strings.Repeat(" ", surveys.MaxBodyBytes-len(validBody)+1), wantStatus: 413},

		{name: "decline-204", link: linkPending, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"meeting_did_not_happen"}`, wantStatus: 204},
		{name: "decline-404-unknown-token", link: linkUnknown, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"meeting_did_not_happen"}`, wantStatus: 404, wantDetail: notFound},
		{name: "decline-410-already-answered", link: linkAnswered, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"meeting_did_not_happen"}`, wantStatus: 410, wantDetail: models.MsgCompleted, wantStored: 1},
		{name: "decline-410-expired", link: linkExpired, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"meeting_did_not_happen"}`, wantStatus: 410, wantDetail: models.MsgExpired},
		{name: "decline-410-declined-twice", link: linkDeclined, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"meeting_did_not_happen"}`, wantStatus: 410, wantDetail: models.MsgDeclined},
		{name: "decline-422-unknown-reason", link: linkPending, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"bored"}`, wantStatus: 422, wantFields: []string{"reason"}},
		{name: "decline-422-missing-reason", link: linkPending, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{}`, wantStatus: 422, wantFields: []string{"reason"}},
		{name: "decline-422-unknown-field", link: linkPending, method: "POST", suffix: "/decline", contentType: ctJSON, body: `{"reason":"meeting_did_not_happen","note":"x"}`, wantStatus: 422, wantFields: []string{"note"}},
		{name: "decline-415-not-json", link: linkPending, method: "POST", suffix: "/decline", contentType: "text/plain", body: `{"reason":"meeting_did_not_happen"}`, wantStatus: 415},
	}
	shared := newFixture(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := shared.sub(t)
			before := f.storedResponses()
			token := f.newLink(tt.link)
			rec := f.do(tt.method, "/api/v1/surveys/"+token+tt.suffix, tt.contentType, tt.body)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %s", rec.Code, tt.wantStatus, rec.Body)
			}
			switch {
			case rec.Code == http.StatusCreated:
				if diff := cmp.Diff(`{"status":"received"}`, strings.TrimSpace(rec.Body.String())); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
			case rec.Code == http.StatusNoContent:
				if rec.Body.Len() != 0 {
					t.Errorf("204 with body %q", rec.Body)
				}
			case rec.Code >= 400:
				p := readProblem(t, rec)
				if tt.wantDetail != "" && p.Detail != tt.wantDetail {
					t.Errorf("detail = %q, want %q", p.Detail, tt.wantDetail)
				}
				if tt.wantStatus == 422 && tt.wantFields != nil {
					if diff := cmp.Diff(tt.wantFields, p.fields()); diff != "" {
						t.Errorf("error fields (-want +got):\n%s", diff)
					}
				}
				if tt.wantStatus == 422 && len(p.Errors) == 0 {
					t.Errorf("422 without an errors entry: %s", rec.Body)
				}
			}
			if got := f.storedResponses() - before; got != tt.wantStored {
				t.Errorf("responses stored by this case = %d, want %d", got, tt.wantStored)
			}
		})
	}
}

func TestSurveyAPIGetShape(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	rec := f.get("/api/v1/surveys/" + token)
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, body %s", rec.Code, rec.Body)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
	var got map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal([]byte(`{
		"resident": {"name": "Dr. Ada Lovelace"},
		"program": {"name": "Internal Medicine"},
		"meeting_date": "2026-11-20",
		"expires_at": "2026-12-09T10:00:00Z",
		"language": "en",
		"languages": ["en"],
		"instrument": {
			"key": "resident-mentor", "version": 1,
			"scale": {"min": 1, "max": 5, "allow_not_applicable": true,
				"labels": {"1": "Strongly disagree", "2": "Disagree", "3": "Neutral", "4": "Agree", "5": "Strongly agree"}},
			"items": [
				{"key": "A1", "attribute": "availability", "text": "My mentor made enough time for this meeting; it did not feel rushed."},
				{"key": "A2", "attribute": "availability", "text": "I know how to reach my mentor between meetings and expect a timely reply."},
				{"key": "C1", "attribute": "competence", "text": "My mentor's advice was accurate and relevant to my situation."},
				{"key": "C2", "attribute": "competence", "text": "My mentor helped me turn my goals into concrete next steps."},
				{"key": "C3", "attribute": "competence", "text": "My mentor's feedback was specific and constructive."},
				{"key": "S1", "attribute": "altruistic_support", "text": "My mentor seemed genuinely invested in my success and well-being."},
				{"key": "S2", "attribute": "altruistic_support", "text": "I felt safe raising concerns such as workload, stress or personal issues."},
				{"key": "S3", "attribute": "altruistic_support", "text": "My mentor respected my own definition of success rather than imposing theirs."},
				{"key": "G", "attribute": "overall", "text": "Overall, this meeting was worth my time."}
			],
			"comments": [
				{"key": "keep_doing", "prompt": "One thing your mentor did well", "max_length": 1000},
				{"key": "next_time", "prompt": "One thing that would make the next meeting more useful", "max_length": 1000}
			]
		}
	}`), &want); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GET body (-want +got):\n%s", diff)
	}
}

func TestSurveyAPIMeetingDateNull(t *testing.T) {
	f := newFixture(t)
	inv, err := f.db.CreateInvitation(t.Context(), models.NewInvitation{ResidentID: f.resident.ID})
	if err != nil {
		t.Fatal(err)
	}
	rec := f.get("/api/v1/surveys/" + inv.Token)
	var got struct {
		MeetingDate *string `json:"meeting_date"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("status %d, body %s, err %v", rec.Code, rec.Body, err)
	}
	if !strings.Contains(rec.Body.String(), `"meeting_date":null`) || got.MeetingDate != nil {
		t.Errorf("meeting_date is not null for a link without a meeting date: %s", rec.Body)
	}
}
