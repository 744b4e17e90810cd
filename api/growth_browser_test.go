package api_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// A resident on a phone, by keyboard: from the home page rates themselves
// for the window and sets a goal from a suggestion, then finds both on the
// home and in My feedback. Every page passes axe-core and fits 360 px.
func TestResidentRatesThemselvesAndSetsAGoalInBrowser(t *testing.T) {
	browser := browserPath(t)
	db := dbtest.New(t)
	srv, err := api.New(db, api.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	resident := browserResident(t, db)
	tab := phoneTab(t, startBrowser(t, browser), false)
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), resident.Email),
		chromedp.SendKeys(chromedp.ID("password"), acctPassword),
		chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.ID("self-title")))
	if got := browserEval[string](t, tab, `location.pathname + " " + document.querySelector("main").innerText.slice(0, 300)`); !strings.HasPrefix(got, "/home ") {
		t.Fatalf("after signing in: %s", got)
	}
	check := func(name string) {
		t.Helper()
		checkPhoneLayout(t, tab)
		axeCheck(t, tab, name)
		screenshots(t, tab, name)
	}
	check("home")
	if got := browserEval[string](t, tab, `document.querySelector(".usernav").innerText`); !strings.Contains(got, "Home") || !strings.Contains(got, "My feedback") {
		t.Errorf("the resident's menu says %q, want Home and My feedback as in the README", got)
	}

	// The self-assessment, answered with the keyboard only.
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`a[href^="/home/self-assessment/"]`)), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("fieldset.item")))
	check("self_assessment")
	keys := browserEval[[]string](t, tab, `[...document.querySelectorAll("fieldset.item")].map(f => f.id.replace("self-", ""))`)
	if len(keys) != 9 {
		t.Fatalf("the self-assessment asks %d statements, want the instrument's 9", len(keys))
	}
	for _, k := range keys {
		browserRun(t, tab, chromedp.Focus(chromedp.CSS("#self-"+k+"-4")), chromedp.KeyEvent(" "))
	}
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`form button.primary`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("self-title")))
	if got := browserEval[string](t, tab, `document.getElementById("self").innerText`); !strings.Contains(got, "You rated yourself for") {
		t.Errorf("after saving, the home's self-assessment card says %q", got)
	}

	// A goal from a suggestion.
	browserRun(t, tab, chromedp.Focus(chromedp.CSS(`a[href="/home/goals/new"]`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("goal-text")))
	check("goal_new")
	browserRun(t, tab, chromedp.SendKeys(chromedp.ID("goal-text"), "Mentees hear back from me within a day."),
		chromedp.Focus(chromedp.CSS("#sugg-0")), chromedp.KeyEvent(" "),
		chromedp.Focus(chromedp.CSS(`form button.primary`)), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.ID("progress-title")))
	check("goal")
	if got := browserEval[string](t, tab, `document.querySelector("main").innerText`); !strings.Contains(got, "Mentees hear back from me within a day.") || !strings.Contains(got, "Not enough data yet") {
		t.Errorf("the goal page says %q", got)
	}
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/dashboard"), chromedp.WaitVisible(chromedp.ID("goals-title")))
	check("dashboard_goals")
	if got := browserEval[string](t, tab, `document.getElementById("goals").innerText`); !strings.Contains(got, "Mentees hear back from me within a day.") {
		t.Errorf("My feedback's goals say %q", got)
	}
}

// withPassword gives an account a password through a setup link.
func withPassword(t *testing.T, db *models.DB, u *models.User) {
	t.Helper()
	token, _, err := db.CreatePasswordLink(context.Background(), u.ID, models.PurposeSetup)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UsePasswordLink(context.Background(), token, acctPassword); err != nil {
		t.Fatal(err)
	}
}

// After a release: the resident's closed self-assessment with its
// comparison, their dashboard, and the director's drill-down of what was
// shared, each checked with axe-core at both widths and at 360 px.
func TestReleasedSelfAssessmentAndSharedGoalInBrowser(t *testing.T) {
	browser := browserPath(t)
	db := dbtest.New(t)
	ctx := context.Background()
	resident := browserResident(t, db)
	director := &models.User{Email: "lead@example.org", Name: "Dr. Lee Grant", Role: models.RoleDirector, ProgramID: resident.ProgramID}
	if err := db.CreateUser(ctx, director); err != nil {
		t.Fatal(err)
	}
	withPassword(t, db, director)
	prog, err := db.ProgramByID(ctx, *resident.ProgramID)
	if err != nil {
		t.Fatal(err)
	}

	// Four months ago the resident rated themselves 5 throughout, set a
	// shared goal and shared the self-assessment; six mentees rated them
	// about 2. The window has closed and been released since.
	real := time.Now().UTC()
	past := prog.WindowOf(real.AddDate(0, -4, 0))
	db.Now = func() time.Time { return past.Start().AddDate(0, 0, 10) }
	svc := growth.New(db, accounts.New(db, accounts.Config{}))
	me := accounts.UserActor(resident, []int64{prog.ID})
	yes := true
	five := map[string]*int{}
	for _, it := range surveys.Default().Items {
		five[it.Key] = new(5)
	}
	if _, err := svc.SaveSelfAssessment(ctx, me, resident.ID, past.ID, growth.SelfAssessmentInput{Ratings: five, Shared: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateGoal(ctx, me, growth.GoalInput{Target: surveys.GoalTarget{Kind: surveys.TargetAttribute, Key: "altruistic_support"},
		Text: "Ask every mentee how they are coping.", Actions: []string{"Open each meeting with one question about them."}, Shared: &yes}); err != nil {
		t.Fatal(err)
	}
	for j := range 6 {
		mentee := int64(500 + j)
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: resident.ID, MenteeID: &mentee})
		if err != nil {
			t.Fatal(err)
		}
		sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
		for k, it := range surveys.Default().Items {
			sub.Answers[it.Key] = new(2 + k%2)
		}
		if err := db.SubmitResponse(ctx, inv.Token, surveys.Default(), sub); err != nil {
			t.Fatal(err)
		}
	}
	db.Now = time.Now
	if _, err := db.ReleaseClosedWindows(ctx); err != nil {
		t.Fatal(err)
	}

	srv, err := api.New(db, api.Config{BaseURL: "http://127.0.0.1", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b := startBrowser(t, browser)
	// signIn waits for the signed-in header, then for landmark.
	signIn := func(u *models.User, landmark string) context.Context {
		tab := phoneTab(t, b, false)
		browserRun(t, tab, chromedp.Navigate(ts.URL+"/login"), chromedp.WaitVisible(chromedp.ID("email")),
			chromedp.SendKeys(chromedp.ID("email"), u.Email), chromedp.SendKeys(chromedp.ID("password"), acctPassword),
			chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.CSS(".who")), chromedp.WaitVisible(chromedp.CSS(landmark)))
		return tab
	}
	look := func(tab context.Context, name string) {
		t.Helper()
		checkPhoneLayout(t, tab)
		axeAtBothWidths(t, tab, name)
		screenshots(t, tab, name)
	}

	tab := signIn(resident, "#self-title")
	if got := browserEval[string](t, tab, `document.getElementById("self").innerText`); !strings.Contains(got, "differ clearly on") {
		t.Errorf("the home's self-assessment card says %q, want the released gap", got)
	}
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/home/self-assessment/"+past.ID), chromedp.WaitVisible(chromedp.CSS("ul.gaps")))
	look(tab, "self_assessment_closed")
	if got := browserEval[string](t, tab, `document.querySelector("ul.gaps").innerText`); !strings.Contains(got, "Blind spot") {
		t.Errorf("the closed self-assessment's table says %q, want a blind spot", got)
	}
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/dashboard"), chromedp.WaitVisible(chromedp.ID("self-view-title")))
	look(tab, "dashboard_released")

	tab = signIn(director, "main h1")
	browserRun(t, tab, chromedp.Navigate(ts.URL+"/residents/"+strconv.FormatInt(resident.ID, 10)+"/report"), chromedp.WaitVisible(chromedp.ID("goals-title")))
	look(tab, "drilldown_shared")
	got := browserEval[string](t, tab, `document.getElementById("self-view").innerText + "\n" + document.getElementById("goals").innerText`)
	for _, want := range []string{"Dr. Brown and their mentees", "Blind spot: Dr. Brown rated this clearly higher", "Ask every mentee how they are coping."} {
		if !strings.Contains(got, want) {
			t.Errorf("the director's drill-down lacks %q:\n%s", want, got)
		}
	}
}
