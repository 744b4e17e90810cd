package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
)

// TestConcurrentSubmissionsStoreOne races 50 submissions of one link through
// the real handler: exactly one is stored and every other mentee is told the
// survey was already answered, never "database is locked".
func TestConcurrentSubmissionsStoreOne(t *testing.T) {
	const n = 50
	f := newFixture(t)
	token := f.newLink(linkPending)
	h := f.srv.Handler()

	start := make(chan struct{})
	recs := make([]*httptest.ResponseRecorder, n)
	var wg sync.WaitGroup
	for i := range n {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/surveys/"+token, strings.NewReader(validBody))
		req.Header.Set("Content-Type", "application/json")
		recs[i] = httptest.NewRecorder()
		wg.Go(func() {
			<-start
			h.ServeHTTP(recs[i], req)
		})
	}
	close(start)
	wg.Wait()

	created, gone := 0, 0
	for _, rec := range recs {
		switch rec.Code {
		case http.StatusCreated:
			created++
		case http.StatusGone:
			gone++
			if p := readProblem(t, rec); p.Detail != models.MsgCompleted {
				t.Errorf("410 detail = %q, want %q", p.Detail, models.MsgCompleted)
			}
		default:
			t.Errorf("unexpected status %d: %s", rec.Code, rec.Body)
		}
	}
	if created != 1 || gone != n-1 {
		t.Errorf("got %d × 201 and %d × 410, want 1 and %d", created, gone, n-1)
	}
	if got := f.storedResponses(); got != 1 {
		t.Errorf("stored responses = %d, want 1", got)
	}
	if strings.Contains(f.logs.String(), "level=ERROR") {
		t.Errorf("server logged errors:\n%s", f.logs)
	}
}
