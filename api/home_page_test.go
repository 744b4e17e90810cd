package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/api"
)

// The resident's home lists only the open window's meetings, ten to a
// page, and the record form once; a closed window moves to the counts.
func TestHomeListsThisWindowsMeetingsPaged(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	for i := range 12 {
		form := url.Values{"meeting_date": {"2026-03-01"}, "mentee_email": {fmt.Sprintf("mentee%02d@student.example", i)}}
		if w := f.postForm(f.resA1, "/home/meetings", form); w.Code != http.StatusSeeOther {
			t.Fatalf("record %d: %d\n%s", i, w.Code, text(w))
		}
	}
	home := f.getPage(f.resA1, "/home")
	wantText(t, home, "Meetings this window (January–March 2026)", "You recorded 12 meetings in this window.", "Older meetings", "My feedback")
	body := home.Body.String()
	if n := strings.Count(body, `class="status status-`); n != 10 {
		t.Errorf("page 1 lists %d meetings, want 10", n)
	}
	if n := strings.Count(body, `action="/home/meetings"`); n != 1 {
		t.Errorf("the home has %d record-a-meeting forms, want 1", n)
	}
	if strings.Contains(body, "Newer meetings") {
		t.Error("page 1 links to newer meetings")
	}
	page2 := f.getPage(f.resA1, "/home?page=2")
	if n := strings.Count(page2.Body.String(), `class="status status-`); n != 2 {
		t.Errorf("page 2 lists %d meetings, want 2", n)
	}
	wantText(t, page2, "Newer meetings", "Page 2")
	if strings.Contains(page2.Body.String(), "Older meetings") {
		t.Error("the last page links to older meetings")
	}

	// A new window: its list starts empty; the closed one is counted below.
	f.clock.advance(31 * 24 * time.Hour)
	home = f.getPage(f.resA1, "/home")
	wantText(t, home, "Meetings this window (April–June 2026)", "No meetings recorded yet in this window.", "Earlier windows", "January–March 2026")
	if strings.Contains(home.Body.String(), `class="status status-`) {
		t.Error("the new window lists last window's meetings")
	}
}
