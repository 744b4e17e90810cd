package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// With the default quarters from July, October–December 2026 is "2026-10".
var (
	octQ    = time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	octQEnd = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	janQEnd = time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	fy2026  = surveys.Period{From: "2026-07", To: "2027-06"}
)

func report(t *testing.T, db *models.DB, residentID int64, p surveys.Period) *surveys.ResidentReport {
	t.Helper()
	rep, err := db.ResidentReport(context.Background(), residentID, p)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestOneMenteeFiveMeetingsReleasesNothing: five responses from one person
// are not "several mentees", however many there are.
func TestOneMenteeFiveMeetingsReleasesNothing(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 5, 1)
	r := f.residents[0]
	mentee := int64(42)
	for i := range 5 {
		sub := answers(2)
		sub.Comments[surveys.CommentKeepDoing] = fmt.Sprintf("only me, meeting %d", i)
		f.submitAs(t, octQ.Add(time.Duration(i)*72*time.Hour), r.ID, &mentee, sub)
	}
	if sum := f.releaseAt(t, octQEnd); sum.Released != 0 || sum.Judged != 1 {
		t.Fatalf("one mentee's five answers: %+v, want judged and carried over", sum)
	}
	rep := report(t, db, r.ID, fy2026)
	if !rep.Suppressed || rep.Responses != 0 || len(rep.Comments.KeepDoing) != 0 || rep.AwaitingRelease != 5 {
		t.Errorf("want nothing shown and 5 carried over; got suppressed=%v responses=%d comments=%v awaiting=%d",
			rep.Suppressed, rep.Responses, rep.Comments.KeepDoing, rep.AwaitingRelease)
	}
	if n := count(t, db, `SELECT count(*) FROM report_releases`); n != 0 {
		t.Errorf("%d releases recorded", n)
	}
}

// TestThreeMenteesReleaseAtWindowCloseNotBefore: answers from three people
// show only once their window has closed, and then all together.
func TestThreeMenteesReleaseAtWindowCloseNotBefore(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	for i, v := range []int{5, 4, 3} {
		f.submitAt(t, octQ.Add(time.Duration(i)*24*time.Hour), r.ID, answers(v))
		// The job runs every minute; mid-window it must release nothing.
		if sum := f.releaseAt(t, octQ.Add(time.Duration(i)*24*time.Hour+time.Minute)); sum.Released != 0 {
			t.Fatalf("released mid-window after %d answers: %+v", i+1, sum)
		}
		if rep := report(t, db, r.ID, fy2026); rep.Responses != 0 || rep.AwaitingRelease != 0 {
			t.Fatalf("mid-window report shows %d responses, %d awaiting", rep.Responses, rep.AwaitingRelease)
		}
	}
	if sum := f.releaseAt(t, octQEnd.Add(-time.Second)); sum.Released != 0 {
		t.Fatalf("released a second before the window closed: %+v", sum)
	}
	if sum := f.releaseAt(t, octQEnd); sum.Released != 1 || sum.Responses != 3 {
		t.Fatalf("at the close: %+v, want one group of 3", sum)
	}
	rep := report(t, db, r.ID, fy2026)
	if rep.Suppressed || rep.Responses != 3 || rep.Mentees != 3 || *rep.Attributes[3].Mean != 4 {
		t.Fatalf("after the close: suppressed=%v responses=%d mentees=%d", rep.Suppressed, rep.Responses, rep.Mentees)
	}
	want := []surveys.Release{{Window: surveys.Window{ID: "2026-10", From: "2026-10", To: "2026-12"}, FirstWindow: "2026-10", LastWindow: "2026-10", Responses: 3, Mentees: 3}}
	if diff := cmp.Diff(want, rep.Releases); diff != "" {
		t.Errorf("releases (-want +got):\n%s", diff)
	}
	if sum := f.releaseAt(t, octQEnd.Add(time.Hour)); sum.Judged != 0 {
		t.Errorf("the job judged a window twice: %+v", sum)
	}
}

// TestFourthResponseAfterReleaseWaitsForNextWindow: one more answer after
// a release changes nothing a resident sees until the next window closes,
// and then only together with enough others.
func TestFourthResponseAfterReleaseWaitsForNextWindow(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	for i := range 3 {
		sub := answers(4)
		sub.Comments[surveys.CommentKeepDoing] = fmt.Sprintf("comment %d", i)
		f.submitAt(t, octQ.Add(time.Duration(i)*time.Hour), r.ID, sub)
	}
	f.releaseAt(t, octQEnd)
	before := report(t, db, r.ID, fy2026)
	lone := answers(1)
	lone.Comments[surveys.CommentKeepDoing] = "the lone mentee"
	f.submitAt(t, octQEnd.Add(48*time.Hour), r.ID, lone)
	f.releaseAt(t, octQEnd.Add(49*time.Hour))
	if diff := cmp.Diff(asJSON(t, before), asJSON(t, report(t, db, r.ID, fy2026))); diff != "" {
		t.Errorf("one more response changed what the resident sees (-before +after):\n%s", diff)
	}
	f.releaseAt(t, janQEnd)
	after := report(t, db, r.ID, fy2026)
	if after.Responses != 3 || after.AwaitingRelease != 1 || slices.Contains(after.Comments.KeepDoing, "the lone mentee") {
		t.Errorf("a lone answer was released at the next close: responses=%d awaiting=%d", after.Responses, after.AwaitingRelease)
	}
	// Two more mentees in the next window: the carried-over answer goes
	// out with them, as one group spanning two windows.
	f.submitAt(t, janQEnd.Add(24*time.Hour), r.ID, answers(3))
	f.submitAt(t, janQEnd.Add(48*time.Hour), r.ID, answers(3))
	f.releaseAt(t, time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC))
	last := report(t, db, r.ID, fy2026)
	if last.Responses != 6 || len(last.Releases) != 2 || last.Releases[1].FirstWindow != "2027-01" || last.Releases[1].LastWindow != "2027-04" {
		t.Errorf("want a second group spanning 2027-01 to 2027-04; got %d responses, releases %+v", last.Responses, last.Releases)
	}
}

// TestLegacyLinksNeverCountAsMentees: a link made without a rostered mentee
// adds a response but no mentee, so such answers alone never release.
func TestLegacyLinksNeverCountAsMentees(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	for i := range 4 {
		f.submitAs(t, octQ.Add(time.Duration(i)*time.Hour), r.ID, nil, answers(4))
	}
	if sum := f.releaseAt(t, octQEnd); sum.Released != 0 {
		t.Fatalf("answers without mentees were released: %+v", sum)
	}
	if n := count(t, db, `SELECT count(*) FROM window_mentees`); n != 0 {
		t.Errorf("%d mentee markers from links without a mentee", n)
	}
}

// TestMenteeHashesGoneAfterRelease: the distinct-mentee markers exist only
// while their group is unreleased, and the link's mentee key goes at claim.
func TestMenteeHashesGoneAfterRelease(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 2)
	a, b := f.residents[0], f.residents[1]
	for i := range 3 {
		f.submitAt(t, octQ.Add(time.Duration(i)*time.Hour), a.ID, answers(4))
	}
	f.submitAt(t, octQ, b.ID, answers(4)) // b's lone answer carries over
	if n := count(t, db, `SELECT count(*) FROM invitations WHERE mentee_key IS NOT NULL`); n != 0 {
		t.Errorf("%d answered links still hold their mentee key", n)
	}
	if n := count(t, db, `SELECT count(*) FROM window_mentees`); n != 4 {
		t.Fatalf("%d markers while the window is open, want 4", n)
	}
	f.releaseAt(t, octQEnd)
	if n := count(t, db, `SELECT count(*) FROM window_mentees WHERE resident_id = $1`, a.ID); n != 0 {
		t.Errorf("%d mentee hashes of a released group remain", n)
	}
	if n := count(t, db, `SELECT count(*) FROM window_mentees WHERE resident_id = $1`, b.ID); n != 1 {
		t.Errorf("the carried-over group lost its marker (%d)", n)
	}
}

// TestPeriodFilterTakesWholeWindows: any month inside a window selects the
// whole window, so comparing month filters cannot isolate part of one.
func TestPeriodFilterTakesWholeWindows(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	for i, day := range []int{5, 20, 40} {
		f.submitAt(t, octQ.AddDate(0, 0, day), r.ID, answers(3+i%2))
	}
	f.releaseAt(t, octQEnd)
	nov := report(t, db, r.ID, surveys.Period{From: "2026-11", To: "2026-11"})
	dec := report(t, db, r.ID, surveys.Period{From: "2026-12", To: "2026-12"})
	if nov.Period != (surveys.Period{From: "2026-10", To: "2026-12"}) || nov.Responses != 3 || dec.Responses != 3 {
		t.Errorf("November %v shows %d, December %d; want the whole quarter, 3 each", nov.Period, nov.Responses, dec.Responses)
	}
	if len(nov.Trend) != 1 || nov.Trend[0].Window.ID != "2026-10" || nov.Trend[0].Mentees != 3 {
		t.Errorf("trend %+v, want the one window 2026-10 resting on 3 mentees", nov.Trend)
	}
}

func TestCommentsReleasedOnlyWithTheirGroup(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	submit := func(at time.Time, i int) {
		sub := answers(4)
		sub.Comments[surveys.CommentKeepDoing] = fmt.Sprintf("keep %d", i)
		sub.Comments[surveys.CommentNextTime] = fmt.Sprintf("next %d", i)
		f.submitAt(t, at, r.ID, sub)
	}
	comments := func() []string {
		rep := report(t, db, r.ID, fy2026)
		return slices.Sorted(slices.Values(append(rep.Comments.KeepDoing, rep.Comments.NextTime...)))
	}
	for i := range 3 {
		submit(octQ.Add(time.Duration(i)*time.Hour), i)
	}
	if got := comments(); len(got) != 0 {
		t.Fatalf("comments shown before their group is released: %v", got)
	}
	f.releaseAt(t, octQEnd)
	if got, want := comments(), []string{"keep 0", "keep 1", "keep 2", "next 0", "next 1", "next 2"}; !slices.Equal(got, want) {
		t.Fatalf("after release got %v, want %v", got, want)
	}
	submit(octQEnd.Add(time.Hour), 3)
	submit(octQEnd.Add(2*time.Hour), 4)
	f.releaseAt(t, janQEnd)
	if got := comments(); len(got) != 6 {
		t.Fatalf("comments of a group too small to release leaked: %v", got)
	}
}

// TestProgramMeanFollowsOtherResidentsReleases: the benchmark beside a
// resident's figures is the other residents' mean (cached between
// releases); it moves when another resident's group is released, and only
// then.
func TestProgramMeanFollowsOtherResidentsReleases(t *testing.T) {
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 2)
	a, b := f.residents[0], f.residents[1]
	for i := range 3 {
		f.submitAt(t, octQ.Add(time.Duration(i)*time.Hour), a.ID, answers(5))
	}
	f.releaseAt(t, octQEnd)
	benchmark := func() (*float64, int, int64) {
		rep := report(t, db, a.ID, fy2026)
		o := rep.Attributes[3]
		return o.ProgramMean, o.ProgramResidents, o.ProgramMentees
	}
	if got, k, _ := benchmark(); got != nil || k != 0 {
		t.Fatalf("with no other resident released, the benchmark is %v from %d residents, want none", *got, k)
	}
	for i := range 3 {
		f.submitAt(t, octQEnd.Add(time.Duration(i+1)*time.Hour), b.ID, answers(1))
	}
	if got, _, _ := benchmark(); got != nil {
		t.Fatalf("an unreleased group made a benchmark of %v", *got)
	}
	f.releaseAt(t, janQEnd)
	if got, k, n := benchmark(); got == nil || *got != 1 || k != 1 || n != 3 {
		t.Fatalf("after b's release the benchmark is %v from %d residents on %d mentees, want 1 from 1 on 3", got, k, n)
	}
}

// TestReleaseSettingsAreValidated: min_mentees never goes below 3, and the
// window kind and start month are checked.
func TestReleaseSettingsAreValidated(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := &models.Program{Name: "Surgery"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.ReleaseWindow != "quarter" || p.AcademicYearStartMonth != 7 || p.MinMentees != 3 {
		t.Errorf("new program release settings %+v, want quarter/7/3", p.WindowSettings)
	}
	for _, bad := range []models.WindowSettings{
		{ReleaseWindow: "quarter", AcademicYearStartMonth: 7, MinMentees: 2},
		{ReleaseWindow: "week", AcademicYearStartMonth: 7, MinMentees: 3},
		{ReleaseWindow: "month", AcademicYearStartMonth: 13, MinMentees: 3},
	} {
		if err := db.UpdateWindowSettings(ctx, p.ID, bad); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}

// TestSubmissionWindowFollowsProgramSettings: the window a held answer
// gets (computed in SQL on PostgreSQL) is surveys.WindowOf's.
func TestSubmissionWindowFollowsProgramSettings(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	f := newFixture(t, db, 3, 1)
	r := f.residents[0]
	for _, kind := range surveys.WindowKinds() {
		for _, start := range []int{1, 7, 9} {
			ws := models.WindowSettings{ReleaseWindow: kind, AcademicYearStartMonth: start, MinMentees: 3}
			if err := db.UpdateWindowSettings(ctx, f.program.ID, ws); err != nil {
				t.Fatal(err)
			}
			for m := range 12 {
				at := time.Date(2026, time.Month(m+1), 15, 12, 0, 0, 0, time.UTC)
				f.submitAt(t, at, r.ID, answers(3))
				var got string
				sqlDB, _ := db.SQL()
				if err := sqlDB.QueryRow(`SELECT window_id FROM held_responses`).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if want := surveys.WindowOf(at, kind, start).ID; got != want {
					t.Errorf("%s from %d, %s: window %s, want %s", kind, start, at.Format("2006-01"), got, want)
				}
				if _, err := sqlDB.Exec(`DELETE FROM held_responses`); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
