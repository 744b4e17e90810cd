package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/models"
)

// selfForm rates every default item n, with the sharing box as given.
func selfForm(n string, shared bool) url.Values {
	form := url.Values{}
	for _, k := range []string{"A1", "A2", "C1", "C2", "C3", "S1", "S2", "S3", "G"} {
		form.Set("rating."+k, n)
	}
	if shared {
		form.Set("shared", "on")
	}
	return form
}

// A resident rates themselves from their home; a rating left out is named
// beside its statement and nothing is saved; the window's answers can be
// changed until it closes, and not after.
func TestResidentRatesThemselvesFromTheHomePage(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	home := f.getPage(f.resA1, "/home")
	wantText(t, home, "Self-assessment", "Rate myself for January–March 2026")
	if !strings.Contains(home.Body.String(), `href="/home/self-assessment/2026-01"`) {
		t.Fatal("the home does not link to this window's self-assessment")
	}
	page := f.getPage(f.resA1, "/home/self-assessment/2026-01")
	wantText(t, page, "Self-assessment: January–March 2026", "Statement 1 of 9", "Share this self-assessment")

	form := selfForm("4", false)
	form.Del("rating.C2")
	w := f.postForm(f.resA1, "/home/self-assessment/2026-01", form)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a missing rating: %d, want 422\n%s", w.Code, text(w))
	}
	if !strings.Contains(w.Body.String(), `id="self-err-C2"`) || !strings.Contains(w.Body.String(), `id="self-C1-4" name="rating.C1" value="4" checked`) {
		t.Error("the error is not beside C2, or the other ratings were lost")
	}
	if again := f.getPage(f.resA1, "/home"); strings.Contains(text(again), "You rated yourself") {
		t.Error("a refused self-assessment was saved")
	}

	if w := f.postForm(f.resA1, "/home/self-assessment/2026-01", selfForm("4", true)); w.Code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", w.Code, text(w))
	}
	home = f.getPage(f.resA1, "/home?saved=self")
	wantText(t, home, "Self-assessment saved.", "You rated yourself for January–March 2026", "Change my self-assessment")

	// After the window closes the page shows the answers, no form.
	f.clock.advance(31 * 24 * 60 * 60 * 1e9)
	closed := f.getPage(f.resA1, "/home/self-assessment/2026-01")
	wantText(t, closed, "This window has closed", "Shared with your program's directors.")
	if strings.Contains(closed.Body.String(), `name="rating.A1"`) {
		t.Error("a closed window's self-assessment still shows its form")
	}
	if w := f.postForm(f.resA1, "/home/self-assessment/2026-01", selfForm("5", false)); w.Code != http.StatusConflict {
		t.Errorf("changing a closed window's self-assessment: %d, want 409", w.Code)
	}
}

// Setting a goal from the form: the suggestions follow the chosen target,
// a goal without an action is refused beside the actions, a fourth open
// goal is refused, and recording an outcome closes the goal.
func TestResidentSetsAndReviewsAGoal(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	page := f.getPage(f.resA1, "/home/goals/new?target=item:A2")
	wantText(t, page, "Set a goal", "Show suggestions", "Review date")
	if !strings.Contains(page.Body.String(), `value="item:A2" selected`) || !strings.Contains(page.Body.String(), `name="suggestion"`) {
		t.Fatal("the form does not keep the target or offer its suggestions")
	}
	if !strings.Contains(page.Body.String(), `name="review_date" class="medium" value="2026-06-30"`) {
		t.Error("the review date does not default to the end of the next window (30 June 2026)")
	}

	bad := url.Values{"target": {"item:A2"}, "text": {"Answer every message within a day."}, "review_date": {"2026-06-30"}}
	w := f.postForm(f.resA1, "/home/goals", bad)
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(text(w), "Actions") {
		t.Fatalf("a goal without actions: %d\n%s", w.Code, text(w))
	}
	if !strings.Contains(w.Body.String(), "Answer every message within a day.") {
		t.Error("the refused form lost the goal's text")
	}

	good := url.Values{"target": {"item:A2"}, "text": {"Answer every message within a day."}, "review_date": {"2026-06-30"},
		"own_action": {"Check messages at the end of each shift.", ""}}
	var first string
	for i := range 3 {
		w := f.postForm(f.resA1, "/home/goals", good)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("goal %d: %d\n%s", i+1, w.Code, text(w))
		}
		if first == "" {
			first = strings.TrimSuffix(w.Header().Get("Location"), "?saved=1")
		}
	}
	if w := f.postForm(f.resA1, "/home/goals", good); w.Code != http.StatusConflict {
		t.Errorf("a fourth open goal: %d, want 409", w.Code)
	}
	home := f.getPage(f.resA1, "/home")
	wantText(t, home, "Answer every message within a day.", "You have three open goals")
	goal := f.getPage(f.resA1, first)
	wantText(t, goal, "Before and after", "Not enough data yet", "Check messages at the end of each shift.", "private to you",
		"Set in the window starting January 2026", "Before (January–December 2025)")

	if w := f.postForm(f.resA1, first+"/review", url.Values{}); w.Code != http.StatusUnprocessableEntity {
		t.Errorf("an outcome left out: %d, want 422", w.Code)
	}
	w = f.postForm(f.resA1, first+"/review", url.Values{"outcome": {"achieved"}, "reflection": {"Checking at the end of each shift stuck."}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("record outcome: %d\n%s", w.Code, text(w))
	}
	wantText(t, f.getPage(f.resA1, first), "Outcome", "achieved", "Checking at the end of each shift stuck.")
	wantText(t, f.getPage(f.resA1, "/home"), "1 closed goal", "Set a goal")

	// Another resident's goal is not found, and the director sees only
	// what is shared (nothing yet).
	if w := f.getPage(f.resA2, first); w.Code != http.StatusNotFound {
		t.Errorf("another resident's goal page: %d, want 404", w.Code)
	}
	drill := f.getPage(f.dirA, "/residents/"+idOf(f.resA1)+"/report")
	wantText(t, drill, "has not shared any goals")
	if strings.Contains(text(drill), "Answer every message within a day.") {
		t.Error("the director sees a private goal")
	}
}

// A shared goal appears in the director's drill-down, worded about the
// resident; unsharing removes it.
func TestDirectorSeesOnlySharedGoalsInTheDrillDown(t *testing.T) {
	f := newAcctFixture(t, api.Config{})
	form := url.Values{"target": {"attribute:availability"}, "text": {"Be reachable between meetings."}, "review_date": {"2026-06-30"},
		"own_action": {"Share my rota with mentees."}, "shared": {"on"}}
	w := f.postForm(f.resA1, "/home/goals", form)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("goal: %d\n%s", w.Code, text(w))
	}
	path := strings.TrimSuffix(w.Header().Get("Location"), "?saved=1")
	drill := f.getPage(f.dirA, "/residents/"+idOf(f.resA1)+"/report")
	wantText(t, drill, "Goals "+f.resA1.Name+" shared", "Be reachable between meetings.")
	if strings.Contains(drill.Body.String(), `href="`+path+`"`) {
		t.Error("the director's drill-down links to the resident's own goal page")
	}
	edit := url.Values{"text": {"Be reachable between meetings."}, "actions": {"Share my rota with mentees."}, "review_date": {"2026-06-30"}}
	if w := f.postForm(f.resA1, path, edit); w.Code != http.StatusSeeOther {
		t.Fatalf("unshare: %d\n%s", w.Code, text(w))
	}
	if strings.Contains(text(f.getPage(f.dirA, "/residents/"+idOf(f.resA1)+"/report")), "Be reachable between meetings.") {
		t.Error("an unshared goal still shows to the director")
	}
	var shares []string
	for _, e := range f.entriesAfter(0) {
		if strings.HasPrefix(e.Action, "goal.") {
			shares = append(shares, e.Action)
		}
	}
	if !strings.Contains(strings.Join(shares, " "), models.ActionGoalShare) || !strings.Contains(strings.Join(shares, " "), models.ActionGoalUnshare) {
		t.Errorf("goal audit entries %v lack a share and an unshare", shares)
	}
}

func idOf(u *models.User) string { return strconv.FormatInt(u.ID, 10) }
