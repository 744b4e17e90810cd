package growth_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestSelfAssessmentIsEditableUntilItsWindowCloses(t *testing.T) {
	w := newWorld(t)
	// 2 March 2026: window 2026-01 (January–March) is open, nothing saved.
	empty, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if empty.Submitted || !empty.Editable || empty.UpdatedAt != nil || len(empty.Items) != len(surveys.Default().Items) || empty.Items[0].Rating != nil {
		t.Errorf("empty form: %+v", empty)
	}
	if empty.Instrument != (growth.InstrumentRef{Key: surveys.DefaultKey, Version: surveys.DefaultVersion}) {
		t.Errorf("instrument %+v, want the program's current (the default)", empty.Instrument)
	}
	r := ratings(4)
	r["S2"] = nil // not applicable
	saved, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: r})
	if err != nil {
		t.Fatal(err)
	}
	if !saved.Submitted || !saved.Editable || saved.Shared || saved.UpdatedAt == nil || saved.Comparison != nil {
		t.Errorf("saved: submitted %v, editable %v, shared %v, updated %v, comparison %v", saved.Submitted, saved.Editable, saved.Shared, saved.UpdatedAt, saved.Comparison)
	}
	for _, it := range saved.Items {
		switch {
		case it.Key == "S2" && it.Rating != nil, it.Key != "S2" && (it.Rating == nil || *it.Rating != 4):
			t.Errorf("item %s rated %v", it.Key, it.Rating)
		}
		if !it.AllowsNotApplicable || it.Statement == "" {
			t.Errorf("item %s: allows n/a %v, statement %q", it.Key, it.AllowsNotApplicable, it.Statement)
		}
	}
	// Sharing: absent keeps the value, a value changes it.
	w.now = w.now.AddDate(0, 0, 10)
	shared, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(3), Shared: new(true)})
	if err != nil || !shared.Shared {
		t.Fatalf("share: %+v, %v", shared, err)
	}
	kept, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(2)})
	if err != nil || !kept.Shared || *kept.Items[0].Rating != 2 || !kept.UpdatedAt.Equal(w.now) {
		t.Fatalf("edit without shared: %+v, %v", kept, err)
	}
	if saves := w.audit(models.ActionSelfAssessmentSave); len(saves) != 3 || saves[0].Detail != "window 2026-01, instrument resident-mentor@1" {
		t.Errorf("self_assessment.save entries %+v", saves)
	}
	if shares := w.audit(models.ActionSelfAssessmentShare); len(shares) != 1 {
		t.Errorf("self_assessment.share entries %+v, want one", shares)
	}
	// Next window: the old one is closed for edits, still readable.
	w.now = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	_, err = w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(5)})
	wantCode(t, err, surveys.ECONFLICT)
	if msg := surveys.ErrorMessage(err); !strings.Contains(msg, "closed") || !strings.Contains(msg, "until its window closes") {
		t.Errorf("closed-window message %q", msg)
	}
	old, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if old.Editable || !old.Submitted || *old.Items[0].Rating != 2 || old.Comparison == nil || old.Comparison.Window != "2026-01" {
		t.Errorf("closed window: editable %v, submitted %v, comparison %+v", old.Editable, old.Submitted, old.Comparison)
	}
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-04", growth.SelfAssessmentInput{Ratings: ratings(5), Shared: new(false)}); err != nil {
		t.Fatal(err)
	}
	list, err := w.svc.SelfAssessments(w.ctx, w.asResA1, w.resA1.ID)
	if err != nil || len(list) != 2 || list[0].Window.ID != "2026-04" || list[1].Window.ID != "2026-01" {
		t.Fatalf("own list: %+v, %v; want 2026-04 then 2026-01", list, err)
	}
	// The director sees the shared one only.
	dir, err := w.svc.SelfAssessments(w.ctx, w.asDirA, w.resA1.ID)
	if err != nil || len(dir) != 1 || dir[0].Window.ID != "2026-01" {
		t.Fatalf("director's list: %+v, %v; want the shared 2026-01", dir, err)
	}
	_, err = w.svc.SelfAssessment(w.ctx, w.asDirA, w.resA1.ID, "2026-04")
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = w.svc.SaveSelfAssessment(w.ctx, w.asDirA, w.resA1.ID, "2026-04", growth.SelfAssessmentInput{Ratings: ratings(1)})
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.SelfAssessments(w.ctx, w.asDirB, w.resA1.ID)
	wantCode(t, err, surveys.ENOTFOUND)
}

func TestSelfAssessmentWindowIDs(t *testing.T) {
	w := newWorld(t)
	cases := map[string]string{
		"2026-02":  surveys.ENOTFOUND, // inside January–March, not its first month
		"2026-1":   surveys.ENOTFOUND,
		"march":    surveys.ENOTFOUND,
		"2026-04":  surveys.ECONFLICT, // not open yet
		"2027-01":  surveys.ECONFLICT,
		"2025-10":  "", // closed: readable
		"2026-01":  "",
		"2026-13":  surveys.ENOTFOUND,
		"0000-00":  surveys.ENOTFOUND,
		"2026-01 ": surveys.ENOTFOUND,
	}
	for id, code := range cases {
		_, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, id)
		if surveys.ErrorCode(err) != code {
			t.Errorf("window %q: err %v, want code %q", id, err, code)
		}
	}
	_, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-02")
	if msg := surveys.ErrorMessage(err); !strings.Contains(msg, "first month") || !strings.Contains(msg, "July, October, January and April") {
		t.Errorf("misaligned window message %q does not say how windows are aligned", msg)
	}
	_, err = w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-04", growth.SelfAssessmentInput{Ratings: ratings(3)})
	if wantCode(t, err, surveys.ECONFLICT); !strings.Contains(surveys.ErrorMessage(err), "not open yet") {
		t.Errorf("future window message %q", surveys.ErrorMessage(err))
	}
	// A program with monthly windows names every month.
	if err := w.db.UpdateWindowSettings(w.ctx, w.progB.ID, models.WindowSettings{ReleaseWindow: surveys.WindowMonth, AcademicYearStartMonth: 7, MinMentees: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.SelfAssessment(w.ctx, w.actor(w.resB1), w.resB1.ID, "2026-02"); err != nil {
		t.Errorf("monthly program, window 2026-02: %v", err)
	}
	cur, err := w.svc.CurrentWindow(w.ctx, w.resB1.ID)
	if err != nil || cur.ID != "2026-03" {
		t.Errorf("monthly program's current window %+v, %v; want 2026-03", cur, err)
	}
}

func TestSelfAssessmentRatingsAreCheckedAgainstTheInstrument(t *testing.T) {
	w := newWorld(t)
	save := func(r map[string]*int) error {
		_, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: r})
		return err
	}
	if f := fieldsOf(t, save(nil)); f["ratings"] == "" || len(f) != 1 {
		t.Errorf("no ratings: fields %v", f)
	}
	bad := ratings(3)
	delete(bad, "A2")
	bad["C1"] = new(0)
	bad["C2"] = new(6)
	bad["Z1"] = new(3)
	f := fieldsOf(t, save(bad))
	for _, k := range []string{"ratings.A2", "ratings.C1", "ratings.C2", "ratings.Z1"} {
		if f[k] == "" {
			t.Errorf("no error for %s (all: %v)", k, f)
		}
	}
	if len(f) != 4 {
		t.Errorf("fields %v, want four", f)
	}
	if _, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01"); err != nil {
		t.Fatal(err)
	}
	if list, _ := w.svc.SelfAssessments(w.ctx, w.asResA1, w.resA1.ID); len(list) != 0 {
		t.Errorf("a refused self-assessment was stored: %+v", list)
	}
}

// reportJSON is a resident's report over the academic year without the
// resident's own name, so two residents' reports can be compared.
func reportJSON(t *testing.T, w *world, res *models.User) string {
	t.Helper()
	rep, err := w.db.ResidentReport(w.ctx, res.ID, surveys.Period{From: "2025-07", To: "2026-06"})
	if err != nil {
		t.Fatal(err)
	}
	rep.Resident = surveys.ResidentRef{}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func programJSON(t *testing.T, w *world) string {
	t.Helper()
	rep, err := w.db.ProgramReport(w.ctx, w.progA.ID, models.ProgramReportFilter{Period: surveys.Period{From: "2025-07", To: "2026-06"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSelfRatingsChangeNoReport(t *testing.T) {
	w := newWorld(t)
	// Two residents whose mentees answer alike; only A1 rates themselves,
	// at the far end of the scale.
	w.now = time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	w.answer(w.resA1, 4, 4)
	w.answer(w.resA2, 4, 4)
	beforeProgram := programJSON(t, w)
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(1), Shared: new(true)}); err != nil {
		t.Fatal(err)
	}
	if got := programJSON(t, w); got != beforeProgram {
		t.Errorf("saving a self-assessment changed the program report:\nbefore %s\nafter  %s", beforeProgram, got)
	}
	w.now = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	w.release()
	a1, a2 := reportJSON(t, w, w.resA1), reportJSON(t, w, w.resA2)
	if !strings.Contains(a1, `"suppressed":false`) {
		t.Fatalf("nothing was released, so the test would prove nothing: %s", a1)
	}
	if a1 != a2 {
		t.Errorf("the self-rated resident's report differs from their twin's:\nself-rated %s\ntwin       %s", a1, a2)
	}
	// Saving again in the current window changes neither.
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-04", growth.SelfAssessmentInput{Ratings: ratings(5)}); err != nil {
		t.Fatal(err)
	}
	if got := reportJSON(t, w, w.resA1); got != a1 {
		t.Errorf("saving a self-assessment changed the resident's report:\nbefore %s\nafter  %s", a1, got)
	}
	// The comparison stands beside the released window's figures.
	sa, err := w.svc.SelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01")
	if err != nil {
		t.Fatal(err)
	}
	if sa.Comparison == nil || sa.Comparison.Window != "2026-01" {
		t.Fatalf("comparison after release: %+v", sa.Comparison)
	}
}

func TestSelfAssessmentKeepsTheVersionItWasFirstSavedWith(t *testing.T) {
	w := newWorld(t)
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(3)}); err != nil {
		t.Fatal(err)
	}
	draft, err := w.acc.CreateInstrumentDraft(w.ctx, w.asDirA, w.progA.ID, surveys.DefaultKey, surveys.DefaultVersion)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.acc.PublishInstrument(w.ctx, w.asDirA, draft.Key, draft.Version); err != nil {
		t.Fatal(err)
	}
	edited, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(4)})
	if err != nil {
		t.Fatal(err)
	}
	if edited.Instrument != (growth.InstrumentRef{Key: surveys.DefaultKey, Version: surveys.DefaultVersion}) {
		t.Errorf("edited after a publish: instrument %+v, want the version first saved", edited.Instrument)
	}
	// A resident rating themselves for the first time gets the new version.
	fresh, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA2, w.resA2.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(4)})
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Instrument != (growth.InstrumentRef{Key: draft.Key, Version: draft.Version}) {
		t.Errorf("new self-assessment after a publish: instrument %+v, want %s@%d", fresh.Instrument, draft.Key, draft.Version)
	}
}

// The home and the report show the newest closed window's comparison:
// what SelfAssessments lists first, for the resident and, of what was
// shared, for a director.
func TestLatestComparisonIsTheNewestClosedWindow(t *testing.T) {
	w := newWorld(t)
	latest := func(a accounts.Actor) string {
		t.Helper()
		c, err := w.svc.LatestComparison(w.ctx, a, w.resA1.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := w.svc.SelfAssessments(w.ctx, a, w.resA1.ID)
		if err != nil {
			t.Fatal(err)
		}
		var first *surveys.SelfComparison
		for _, sa := range list {
			if sa.Comparison != nil {
				first = sa.Comparison
				break
			}
		}
		if diff := cmp.Diff(first, c); diff != "" {
			t.Errorf("LatestComparison differs from the list's first comparison (-list +latest):\n%s", diff)
		}
		if c == nil {
			return "none"
		}
		return c.Window
	}
	if got := latest(w.asResA1); got != "none" {
		t.Errorf("nothing saved: latest %s, want none", got)
	}
	w.now = time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	w.answer(w.resA1, 4, 4)
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-01", growth.SelfAssessmentInput{Ratings: ratings(2), Shared: new(true)}); err != nil {
		t.Fatal(err)
	}
	if got := latest(w.asResA1); got != "none" {
		t.Errorf("the window is still open: latest %s, want none", got)
	}
	w.now = time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)
	w.release()
	if _, err := w.svc.SaveSelfAssessment(w.ctx, w.asResA1, w.resA1.ID, "2026-04", growth.SelfAssessmentInput{Ratings: ratings(5)}); err != nil {
		t.Fatal(err)
	}
	if got := latest(w.asResA1); got != "2026-01" {
		t.Errorf("in April: latest %s, want 2026-01 (2026-04 is open)", got)
	}
	w.now = time.Date(2026, 7, 2, 10, 0, 0, 0, time.UTC)
	if got := latest(w.asResA1); got != "2026-04" {
		t.Errorf("in July, the resident's latest %s, want 2026-04", got)
	}
	if got := latest(w.asDirA); got != "2026-01" {
		t.Errorf("in July, the director's latest %s, want the shared 2026-01", got)
	}
	if views := w.audit(models.ActionGoalsView); len(views) != 2 || views[0].Detail != "shared self-assessment comparison: window 2026-01" || views[1].Detail != "shared self-assessments: 1" {
		t.Errorf("director's looks audited as %+v", views)
	}
	_, err := w.svc.LatestComparison(w.ctx, w.asDirB, w.resA1.ID)
	wantCode(t, err, surveys.ENOTFOUND)
}
