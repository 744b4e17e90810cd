package growth_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestGoalDefaultsToTheEndOfTheNextWindowAndListsOpenFirst(t *testing.T) {
	w := newWorld(t)
	// 2 March 2026: the window is January–March, the next April–June.
	first, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("availability"))
	if err != nil {
		t.Fatal(err)
	}
	if first.ReviewDate != "2026-06-30" || first.SetInWindow != "2026-01" || first.Status != growth.StatusOpen || first.Due || first.Shared {
		t.Errorf("new goal: review %s, set in %s, status %s, due %v, shared %v; want 2026-06-30, 2026-01, open, not due, private",
			first.ReviewDate, first.SetInWindow, first.Status, first.Due, first.Shared)
	}
	if first.Target.Label != "Availability" {
		t.Errorf("target label %q, want Availability", first.Target.Label)
	}
	item := growth.GoalInput{Target: surveys.GoalTarget{Kind: surveys.TargetItem, Key: "C3"}, Text: "Give feedback I can act on.",
		Actions: []string{" Name one thing to keep ", "Name one thing to change"}, ReviewDate: new("2026-05-15")}
	second, err := w.svc.CreateGoal(w.ctx, w.asResA1, item)
	if err != nil {
		t.Fatal(err)
	}
	if second.ReviewDate != "2026-05-15" || second.Actions[0] != "Name one thing to keep" || !strings.Contains(second.Target.Label, "feedback") {
		t.Errorf("item goal: review %s, actions %q, label %q", second.ReviewDate, second.Actions, second.Target.Label)
	}
	w.now = w.now.AddDate(0, 0, 1)
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, first.ID, growth.GoalChanges{Outcome: new(models.OutcomeDropped)}); err != nil {
		t.Fatal(err)
	}
	third, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
	if err != nil {
		t.Fatal(err)
	}
	goals, err := w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Open first (newest first), then the closed one.
	if got, want := fmtIDs(goals), fmtIDs([]growth.Goal{*third, *second, *first}); got != want {
		t.Errorf("goals listed %s, want %s", got, want)
	}
	if goals[2].Status != growth.StatusClosed || goals[2].Outcome == nil || *goals[2].Outcome != models.OutcomeDropped || goals[2].ReviewedAt == nil {
		t.Errorf("dropped goal: %+v", goals[2])
	}
	// The home's list: the same open goals, the closed one only counted.
	open, closed, err := w.svc.OpenGoals(w.ctx, w.asResA1, w.resA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmtIDs(open), fmtIDs(goals[:2]); got != want || closed != 1 {
		t.Errorf("open goals %s and %d closed, want %s and 1", got, closed, want)
	}
	for i := range open {
		if open[i].Progress != goals[i].Progress || open[i].Due != goals[i].Due {
			t.Errorf("open goal %d: progress %+v, due %v; the full list says %+v, %v", open[i].ID, open[i].Progress, open[i].Due, goals[i].Progress, goals[i].Due)
		}
	}
	// Another resident sees nothing of these.
	other, err := w.svc.Goals(w.ctx, w.actor(w.resB1), w.resB1.ID)
	if err != nil || len(other) != 0 {
		t.Errorf("another resident's goals: %v, %v; want none", other, err)
	}
}

func TestFourthOpenGoalIsAConflictUntilOneCloses(t *testing.T) {
	w := newWorld(t)
	var ids []int64
	for _, key := range []string{"availability", "competence", "altruistic_support"} {
		g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput(key))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	_, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
	wantCode(t, err, surveys.ECONFLICT)
	if !strings.Contains(surveys.ErrorMessage(err), "close one first") {
		t.Errorf("conflict message %q does not say to close one first", surveys.ErrorMessage(err))
	}
	// Continuing keeps a goal open: still three.
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, ids[0], growth.GoalChanges{Outcome: new(models.OutcomeContinuing)}); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
	wantCode(t, err, surveys.ECONFLICT)
	// Another resident's goals do not count.
	if _, err := w.svc.CreateGoal(w.ctx, w.asResA2, goalInput("competence")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, ids[1], growth.GoalChanges{Outcome: new(models.OutcomeAchieved), Reflection: new("Asked every time.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence")); err != nil {
		t.Fatalf("after closing one, a new goal: %v", err)
	}
}

func TestGoalInputIsValidatedByField(t *testing.T) {
	w := newWorld(t)
	ok := goalInput("competence")
	ok.Text = strings.Repeat("é", growth.MaxGoalText)
	if _, err := w.svc.CreateGoal(w.ctx, w.asResA1, ok); err != nil {
		t.Fatalf("a %d-character goal: %v", growth.MaxGoalText, err)
	}
	cases := map[string]struct {
		edit func(*growth.GoalInput)
		want []string
	}{
		"text-501":       {func(in *growth.GoalInput) { in.Text = strings.Repeat("a", 501) }, []string{"text"}},
		"text-blank":     {func(in *growth.GoalInput) { in.Text = "   " }, []string{"text"}},
		"kind-unknown":   {func(in *growth.GoalInput) { in.Target.Kind = "habit" }, []string{"target.kind"}},
		"attr-overall":   {func(in *growth.GoalInput) { in.Target.Key = "overall" }, []string{"target.key"}},
		"item-unknown":   {func(in *growth.GoalInput) { in.Target = surveys.GoalTarget{Kind: "item", Key: "Z9"} }, []string{"target.key"}},
		"no-actions":     {func(in *growth.GoalInput) { in.Actions = nil }, []string{"actions"}},
		"six-actions":    {func(in *growth.GoalInput) { in.Actions = []string{"a", "b", "c", "d", "e", "f"} }, []string{"actions"}},
		"empty-action":   {func(in *growth.GoalInput) { in.Actions = []string{"ok", " "} }, []string{"actions[1]"}},
		"long-action":    {func(in *growth.GoalInput) { in.Actions = []string{strings.Repeat("x", 301)} }, []string{"actions[0]"}},
		"date-malformed": {func(in *growth.GoalInput) { in.ReviewDate = new("2026-02-30") }, []string{"review_date"}},
		"date-past":      {func(in *growth.GoalInput) { in.ReviewDate = new("2026-03-01") }, []string{"review_date"}},
		"several": {func(in *growth.GoalInput) { in.Text = ""; in.Actions = nil; in.ReviewDate = new("soon") },
			[]string{"text", "actions", "review_date"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			in := goalInput("competence")
			c.edit(&in)
			_, err := w.svc.CreateGoal(w.ctx, w.asResA1, in)
			got := fieldsOf(t, err)
			if len(got) != len(c.want) {
				t.Errorf("fields %v, want %v", got, c.want)
			}
			for _, f := range c.want {
				if got[f] == "" {
					t.Errorf("no message for %s (all: %v)", f, got)
				}
			}
		})
	}
}

func TestOnlyResidentsKeepGoalsAndOnlyTheirOwn(t *testing.T) {
	w := newWorld(t)
	g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.CreateGoal(w.ctx, w.asDirA, goalInput("competence"))
	wantCode(t, err, surveys.EFORBIDDEN)
	if !strings.HasPrefix(surveys.ErrorMessage(err), "only residents") {
		t.Errorf("director's refusal %q does not start with \"only residents\"", surveys.ErrorMessage(err))
	}
	_, err = w.svc.UpdateGoal(w.ctx, w.asDirA, g.ID, growth.GoalChanges{Shared: new(true)})
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.UpdateGoal(w.ctx, w.asAdmin, g.ID, growth.GoalChanges{Shared: new(true)})
	wantCode(t, err, surveys.EFORBIDDEN)
	// Another resident's goal does not exist for them.
	_, err = w.svc.UpdateGoal(w.ctx, w.asResA2, g.ID, growth.GoalChanges{Shared: new(true)})
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID+1000, growth.GoalChanges{Shared: new(true)})
	wantCode(t, err, surveys.ENOTFOUND)
	// Reading: a fellow resident is forbidden, another program's director
	// finds no such resident.
	_, err = w.svc.Goals(w.ctx, w.asResA2, w.resA1.ID)
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.Goals(w.ctx, w.asDirB, w.resA1.ID)
	wantCode(t, err, surveys.ENOTFOUND)
	// A director's own account is not a resident's.
	_, err = w.svc.Goals(w.ctx, w.asDirB, w.dirA.ID)
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = w.svc.Goals(w.ctx, w.asDirA, w.dirA.ID)
	wantCode(t, err, surveys.EFORBIDDEN)
}

func TestDirectorsSeeSharedGoalsOnlyAndEveryShareIsAudited(t *testing.T) {
	w := newWorld(t)
	private, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("availability"))
	if err != nil {
		t.Fatal(err)
	}
	in := goalInput("competence")
	in.Text = "Secret words about my week"
	in.Shared = new(true)
	shared, err := w.svc.CreateGoal(w.ctx, w.asResA1, in)
	if err != nil {
		t.Fatal(err)
	}
	seen, err := w.svc.Goals(w.ctx, w.asDirA, w.resA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmtIDs(seen) != fmtIDs([]growth.Goal{*shared}) {
		t.Errorf("director sees goals %s, want only the shared %d", fmtIDs(seen), shared.ID)
	}
	if seen, err = w.svc.Goals(w.ctx, w.asAdmin, w.resA1.ID); err != nil || fmtIDs(seen) != fmtIDs([]growth.Goal{*shared}) {
		t.Errorf("admin sees goals %s (%v), want only %d", fmtIDs(seen), err, shared.ID)
	}
	if views := w.audit(models.ActionGoalsView); len(views) != 2 || *views[0].ActorID != w.dirA.ID {
		t.Errorf("goals.view entries %+v, want the director's and the admin's", views)
	}
	// The resident's own look is not audited as a view.
	if _, err := w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(w.audit(models.ActionGoalsView)); n != 2 {
		t.Errorf("%d goals.view entries after the resident's own look, want 2", n)
	}
	// Share the private one, unshare the shared one; a repeated share is
	// no change.
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, private.ID, growth.GoalChanges{Shared: new(true)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, shared.ID, growth.GoalChanges{Shared: new(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, private.ID, growth.GoalChanges{Shared: new(true)}); err != nil {
		t.Fatal(err)
	}
	shares, unshares := w.audit(models.ActionGoalShare), w.audit(models.ActionGoalUnshare)
	if len(shares) != 2 || shares[0].Target != "goal:"+itoa(shared.ID) || shares[1].Target != "goal:"+itoa(private.ID) {
		t.Errorf("goal.share entries %+v, want the shared-at-creation goal, then the other", shares)
	}
	if len(unshares) != 1 || unshares[0].Target != "goal:"+itoa(shared.ID) || *unshares[0].ActorID != w.resA1.ID {
		t.Errorf("goal.unshare entries %+v", unshares)
	}
	seen, err = w.svc.Goals(w.ctx, w.asDirA, w.resA1.ID)
	if err != nil || fmtIDs(seen) != fmtIDs([]growth.Goal{*private}) {
		t.Errorf("after the swap the director sees %s (%v), want %d", fmtIDs(seen), err, private.ID)
	}
	// No entry carries the resident's words.
	rows, err := w.db.AuditLog(w.ctx, models.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if strings.Contains(r.Detail, "Secret") || strings.Contains(r.Detail, "questions") {
			t.Errorf("audit entry %s carries the goal's text: %q", r.Action, r.Detail)
		}
	}
}

func TestGoalChangesAndOutcomes(t *testing.T) {
	w := newWorld(t)
	g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{})
	if f := fieldsOf(t, err); len(f) != 1 {
		t.Errorf("empty changes: fields %v, want one saying what may change", f)
	}
	// Absent fields stay as they were.
	got, err := w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Actions: &[]string{"Book the room", "Send notes"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != g.Text || got.ReviewDate != g.ReviewDate || len(got.Actions) != 2 || got.Shared {
		t.Errorf("after changing actions: %+v", got)
	}
	_, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Outcome: new("finished"), Reflection: new(strings.Repeat("r", 1001))})
	if f := fieldsOf(t, err); f["outcome"] == "" || f["reflection"] == "" || len(f) != 2 {
		t.Errorf("bad outcome and reflection: fields %v", f)
	}
	// The review date comes: the goal is due.
	w.now = w.now.AddDate(0, 4, 0) // 2 July 2026, window July–September
	goals, err := w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !goals[0].Due {
		t.Errorf("goal with review date %s on %s is not due", goals[0].ReviewDate, w.now.Format("2006-01-02"))
	}
	// Continuing: open again, reviewed, the next default review date.
	got, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Outcome: new(models.OutcomeContinuing), Reflection: new("Halfway there.")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != growth.StatusOpen || got.Due || got.ReviewDate != "2026-12-31" || got.ReviewedAt == nil || *got.Reflection != "Halfway there." {
		t.Errorf("continuing: status %s, due %v, review %s, reviewed %v", got.Status, got.Due, got.ReviewDate, got.ReviewedAt)
	}
	// Achieved closes it; a closed goal changes its sharing only.
	if got, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Outcome: new(models.OutcomeAchieved)}); err != nil || got.Status != growth.StatusClosed || got.Due {
		t.Fatalf("achieved: %+v, %v", got, err)
	}
	_, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Text: new("Start over")})
	wantCode(t, err, surveys.ECONFLICT)
	if got, err = w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Shared: new(true)}); err != nil || !got.Shared {
		t.Errorf("sharing a closed goal: %+v, %v", got, err)
	}
	reviews := w.audit(models.ActionGoalReview)
	if len(reviews) != 2 || reviews[0].Detail != "outcome continuing, review 2026-12-31" || reviews[1].Detail != "outcome achieved, review 2026-12-31" {
		t.Errorf("goal.review entries %+v", reviews)
	}
	updates := w.audit(models.ActionGoalUpdate)
	if len(updates) != 2 || updates[0].Detail != "changed actions" || updates[1].Detail != "changed reflection" {
		t.Errorf("goal.update entries %+v", updates)
	}
	if creates := w.audit(models.ActionGoalCreate); len(creates) != 1 || creates[0].Detail != "target attribute:competence, review 2026-06-30" {
		t.Errorf("goal.create entries %+v", creates)
	}
}

func TestGoalProgressComparesTheYearBeforeWithTheWindowsSince(t *testing.T) {
	w := newWorld(t)
	// Set on 2 March 2026, in window 2026-01 (January–March).
	g, err := w.svc.CreateGoal(w.ctx, w.asResA1, goalInput("competence"))
	if err != nil {
		t.Fatal(err)
	}
	if p := g.Progress; p.Before.Period != (surveys.Period{From: "2025-01", To: "2025-12"}) || p.After.Period != (surveys.Period{From: "2026-04", To: "2026-06"}) {
		t.Errorf("at creation: before %+v, after %+v; want 2025-01…2025-12 and the next window", p.Before.Period, p.After.Period)
	}
	if g.Progress.Verdict != surveys.NotEnoughData {
		t.Errorf("verdict with nothing released %q, want %q", g.Progress.Verdict, surveys.NotEnoughData)
	}
	// In August the after span runs through the current window.
	w.now = time.Date(2026, 8, 3, 9, 0, 0, 0, time.UTC)
	goals, err := w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := goals[0].Progress.After.Period; got != (surveys.Period{From: "2026-04", To: "2026-09"}) {
		t.Errorf("in August: after %+v, want 2026-04…2026-09", got)
	}
	// Closed in August, it stops there.
	if _, err := w.svc.UpdateGoal(w.ctx, w.asResA1, g.ID, growth.GoalChanges{Outcome: new(models.OutcomeAchieved)}); err != nil {
		t.Fatal(err)
	}
	w.now = time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
	if goals, err = w.svc.Goals(w.ctx, w.asResA1, w.resA1.ID); err != nil {
		t.Fatal(err)
	}
	if got := goals[0].Progress.After.Period; got != (surveys.Period{From: "2026-04", To: "2026-09"}) {
		t.Errorf("closed in August, read in February: after %+v, want 2026-04…2026-09", got)
	}
}
