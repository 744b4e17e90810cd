package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// momentsKey names a stored release moments row.
type momentsKey struct {
	resident  int64
	window    string
	attribute surveys.Attribute
}

// truthResponse is a submission as the test made it: who answered (nil: a
// link without a rostered mentee) and how.
type truthResponse struct {
	resident int64
	mentee   *int64
	answers  map[string]*int
}

// truthMoments computes a group's moments per attribute from the
// definitions in surveys.Moments: one cluster per known mentee, one per
// response of an unknown one. singles makes every response its own cluster.
func truthMoments(group []truthResponse, singles bool) map[surveys.Attribute]surveys.Moments {
	type cluster struct {
		known       bool
		n, t, sumSq float64
	}
	out := map[surveys.Attribute]surveys.Moments{}
	for _, a := range surveys.Attributes {
		clusters := map[string]*cluster{}
		for i, r := range group {
			v := surveys.Default().Scores(r.answers)[a]
			if v == nil {
				continue
			}
			id := fmt.Sprint("response ", i)
			if r.mentee != nil && !singles {
				id = fmt.Sprint("mentee ", *r.mentee)
			}
			c := clusters[id]
			if c == nil {
				c = &cluster{known: r.mentee != nil && !singles}
				clusters[id] = c
			}
			c.n++
			c.t += *v
			c.sumSq += *v * *v
		}
		var m surveys.Moments
		ids := make([]string, 0, len(clusters))
		for id := range clusters {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			c := clusters[id]
			m.AddCluster(int64(c.n), c.t, c.sumSq, c.known)
		}
		if m.Responses > 0 {
			out[a] = m
		}
	}
	return out
}

// storedMoments reads report_release_moments.
func storedMoments(t testing.TB, db *models.DB) map[momentsKey]surveys.Moments {
	t.Helper()
	sqlDB, _ := db.SQL()
	rows, err := sqlDB.Query(`SELECT resident_id, window_id, attribute, responses, sum, sum_sq, mentees, clusters,
		effective_clusters FROM report_release_moments`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[momentsKey]surveys.Moments{}
	for rows.Next() {
		var k momentsKey
		var m surveys.Moments
		if err := rows.Scan(&k.resident, &k.window, &k.attribute, &m.Responses, &m.Sum, &m.SumSq, &m.Mentees, &m.Clusters,
			&m.EffectiveClusters); err != nil {
			t.Fatal(err)
		}
		out[k] = m
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareMoments reports every moments row that differs from want by more
// than 1e-9 (relative for large sums), or is missing or extra.
func compareMoments(t testing.TB, want, got map[momentsKey]surveys.Moments) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%v: no moments stored, want %+v", k, w)
			continue
		}
		if !momentsNear(w, g) {
			t.Errorf("%v: stored %+v\nwant %+v", k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%v: moments stored (%+v) for no released group", k, g)
		}
	}
}

func momentsNear(a, b surveys.Moments) bool {
	near := func(x, y float64) bool { return math.Abs(x-y) <= 1e-9*math.Max(1, math.Abs(x)) }
	return a.Responses == b.Responses && a.Mentees == b.Mentees && a.Clusters == b.Clusters &&
		a.EffectiveClusters == b.EffectiveClusters && near(a.Sum, b.Sum) && near(a.SumSq, b.SumSq)
}

// submissionWithGaps is randomSubmission, with every item of one attribute
// "not applicable" in some responses, so that attributes differ in count.
func submissionWithGaps(rng *rand.Rand, i int) surveys.Submission {
	sub := randomSubmission(rng, fmt.Sprint(i))
	if i%3 == 0 {
		for _, it := range surveys.Default().ItemsFor(surveys.Attributes[i%len(surveys.Attributes)]) {
			sub.Answers[it.Key] = nil
		}
	}
	return sub
}

func mentee(id int64) *int64 { return &id }

// TestReleasedMomentsMatchTheMenteesBehindThem submits from known mentees
// (several responses each, n/a answers, a mentee answering in both windows
// of a carried-over group) and from links without a rostered mentee,
// releases, and compares the stored moments with those computed from who
// really answered what.
func TestReleasedMomentsMatchTheMenteesBehindThem(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 2)
	a, b := f.residents[0].ID, f.residents[1].ID
	rng := rand.New(rand.NewPCG(11, 3))
	var truth []truthResponse
	submit := func(at time.Time, resident int64, m *int64) {
		sub := submissionWithGaps(rng, len(truth))
		f.submitAs(t, at, resident, m, sub)
		truth = append(truth, truthResponse{resident, m, sub.Answers})
	}
	q3 := time.Date(2026, 7, 10, 9, 0, 0, 0, time.UTC)
	// Resident a: two mentees in the July quarter, too few: carried over.
	for i, m := range []int64{1, 1, 2, 1, 2} {
		submit(q3.Add(time.Duration(i)*24*time.Hour), a, mentee(m))
	}
	// Resident b: three mentees and two links without one.
	for i, m := range []*int64{mentee(11), mentee(12), nil, mentee(13), mentee(11), mentee(12), nil, mentee(11)} {
		submit(q3.Add(time.Duration(i)*36*time.Hour), b, m)
	}

	// Mid-window, the mixer keeps sealed sums per mentee.
	db.Now = func() time.Time { return q3.AddDate(0, 2, 0) }
	if n, err := db.MixHeld(ctx); err != nil || n != len(truth) {
		t.Fatalf("mixer moved %d of %d: %v", n, len(truth), err)
	}
	checkSealedSums(t, db, truth)

	if sum := f.releaseAt(t, time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)); sum.Released != 1 || sum.UnopenedSums != 0 {
		t.Fatalf("July quarter: %+v, want b released and a carried over", sum)
	}
	q4 := time.Date(2026, 10, 12, 9, 0, 0, 0, time.UTC)
	for i, m := range []*int64{mentee(1), mentee(3), nil, mentee(3), mentee(1)} {
		submit(q4.Add(time.Duration(i)*48*time.Hour), a, m)
	}
	if sum := f.releaseAt(t, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)); sum.Released != 1 || sum.UnopenedSums != 0 {
		t.Fatalf("October quarter: %+v, want a released", sum)
	}

	want := map[momentsKey]surveys.Moments{}
	groups := map[int64][]truthResponse{}
	for _, r := range truth {
		groups[r.resident] = append(groups[r.resident], r)
	}
	release := map[int64]string{a: "2026-10", b: "2026-07"}
	for resident, g := range groups {
		for attr, m := range truthMoments(g, false) {
			want[momentsKey{resident, release[resident], attr}] = m
		}
	}
	if want[momentsKey{a, "2026-10", surveys.Overall}].Mentees != 3 {
		t.Fatalf("the plan should give a three mentees over two windows: %+v", want)
	}
	compareMoments(t, want, storedMoments(t, db))
	// The groups' mentee structure went only into the program's variance
	// components: their sum over both groups, sealed.
	wantComponents := map[surveys.Attribute]surveys.ComponentSums{}
	for _, g := range groups {
		for attr, m := range truthMoments(g, false) {
			wantComponents[attr] = wantComponents[attr].Plus(m.ComponentSums())
		}
	}
	gotComponents, err := db.ProgramComponentsForTest(ctx, f.program.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, attr := range surveys.Attributes {
		w, g := wantComponents[attr], gotComponents[attr]
		wv := []float64{w.WithinSS, w.WithinDF, w.BetweenSum, w.BetweenNoise, w.BetweenScale, w.BetweenDF}
		gv := []float64{g.WithinSS, g.WithinDF, g.BetweenSum, g.BetweenNoise, g.BetweenScale, g.BetweenDF}
		for i := range wv {
			if math.Abs(wv[i]-gv[i]) > 1e-9*math.Max(1, math.Abs(wv[i])) {
				t.Errorf("%s components: stored %+v, want %+v", attr, g, w)
				break
			}
		}
		if w.WithinDF == 0 {
			t.Errorf("%s: the plan should give within-mentee degrees of freedom", attr)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM program_components WHERE sums LIKE '1.%'`); n != 4 {
		t.Errorf("%d sealed component rows, want 4", n)
	}
	for _, table := range []string{"window_moments", "window_mentees", "held_responses"} {
		if n := count(t, db, `SELECT count(*) FROM `+table); n != 0 {
			t.Errorf("%d rows left in %s after every group was released", n, table)
		}
	}
}

// checkSealedSums holds each window_moments row to its mentee's true sums:
// the stored text shows none of them, opens with the stored key to exactly
// them, and does not open with another key.
func checkSealedSums(t *testing.T, db *models.DB, truth []truthResponse) {
	t.Helper()
	sqlDB, _ := db.SQL()
	var secret string
	if err := sqlDB.QueryRow(`SELECT value FROM app_secrets WHERE name = 'sums_key'`).Scan(&secret); err != nil {
		t.Fatal(err)
	}
	rows, err := sqlDB.Query(`SELECT resident_id, window_id, mentee_hash, sums FROM window_moments`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen, length := 0, 0
	for rows.Next() {
		var resident int64
		var window, hash, sums string
		if err := rows.Scan(&resident, &window, &hash, &sums); err != nil {
			t.Fatal(err)
		}
		seen++
		var mine []truthResponse
		for _, r := range truth {
			if r.resident == resident && r.mentee != nil && hashOf(t, db, *r.mentee, resident) == hash {
				mine = append(mine, r)
			}
		}
		if len(mine) == 0 {
			t.Errorf("sums row for no mentee who answered (resident %d, window %s)", resident, window)
			continue
		}
		want := truthMoments(mine, false)
		got, err := models.OpenSumsForTest(secret, sums, resident, window, hash)
		if err != nil {
			t.Errorf("sums of a mentee of resident %d do not open with the stored key: %v", resident, err)
			continue
		}
		for i, attr := range surveys.Attributes {
			w := want[attr]
			if got[i][0] != float64(w.Responses) || math.Abs(got[i][1]-w.Sum) > 1e-9 || math.Abs(got[i][2]-w.SumSq) > 1e-9 {
				t.Errorf("%s sums of a mentee of resident %d: %v, want n %d sum %v sum_sq %v", attr, resident, got[i], w.Responses, w.Sum, w.SumSq)
			}
		}
		// A version, a key id and base64url ciphertext, all of one length:
		// no decimal number, no count, nothing that grows with the sums.
		if !sealedSums.MatchString(sums) || (length != 0 && len(sums) != length) {
			t.Errorf("stored sums %q are not a fixed-length sealed value", sums)
		}
		length = len(sums)
		if _, err := models.OpenSumsForTest("another secret of thirty-two characters", sums, resident, window, hash); err == nil {
			t.Error("sums open with a key that did not seal them")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if mentees := count(t, db, `SELECT count(*) FROM window_mentees`); int64(seen) != mentees || seen == 0 {
		t.Errorf("%d sums rows for %d mentee markers", seen, mentees)
	}
}

var sealedSums = regexp.MustCompile(`^1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$`)

// hashOf is the marker hash the claim writes for a mentee and resident.
func hashOf(t *testing.T, db *models.DB, menteeID, residentID int64) string {
	t.Helper()
	key, err := db.MenteeKey(context.Background(), menteeID)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(key + ":" + strconv.FormatInt(residentID, 10)))
	return hex.EncodeToString(sum[:])
}

// TestReleaseCountsSumsItCannotOpenAsUnknownRaters changes the operator's
// secret mid-window: the release still happens, every response counts as
// an unknown rater's, and the summary says how many rows would not open.
func TestReleaseCountsSumsItCannotOpenAsUnknownRaters(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	db.SetSumsSecret("the first operator secret, 32 characters")
	f := newFixture(t, db, 3, 1)
	r := f.residents[0].ID
	rng := rand.New(rand.NewPCG(5, 8))
	var truth []truthResponse
	at := time.Date(2026, 7, 10, 9, 0, 0, 0, time.UTC)
	for i := range 12 {
		m := mentee(int64(1 + i%4))
		sub := submissionWithGaps(rng, i)
		f.submitAs(t, at.Add(time.Duration(i)*time.Hour), r, m, sub)
		truth = append(truth, truthResponse{r, m, sub.Answers})
	}
	if n, err := db.MixHeld(ctx); err != nil || n != 12 {
		t.Fatalf("mixer moved %d: %v", n, err)
	}
	db.SetSumsSecret("the second operator secret, 32 characters")
	sum := f.releaseAt(t, time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC))
	if sum.Released != 1 || sum.UnopenedSums != 4 {
		t.Fatalf("release after a change of secret: %+v, want 1 released and 4 unopened sums", sum)
	}
	want := map[momentsKey]surveys.Moments{}
	for attr, m := range truthMoments(truth, true) {
		want[momentsKey{r, "2026-07", attr}] = m
	}
	compareMoments(t, want, storedMoments(t, db))
	if n := count(t, db, `SELECT count(*) FROM window_moments`); n != 0 {
		t.Errorf("%d sums rows left after the release", n)
	}
}

// TestMigrateBackfillsMomentsOfOlderReleases gives a release its moments
// back after they were removed, as for a release made before migration
// 0009: every response a cluster of its own, no mentees; a second run
// changes nothing.
func TestMigrateBackfillsMomentsOfOlderReleases(t *testing.T) {
	ctx := context.Background()
	db := dbtest.New(t)
	f := newFixture(t, db, 3, 1)
	r := f.residents[0].ID
	rng := rand.New(rand.NewPCG(2, 9))
	var truth []truthResponse
	at := time.Date(2026, 7, 10, 9, 0, 0, 0, time.UTC)
	for i := range 9 {
		m := mentee(int64(1 + i%3))
		sub := submissionWithGaps(rng, i)
		f.submitAs(t, at.Add(time.Duration(i)*time.Hour), r, m, sub)
		truth = append(truth, truthResponse{r, m, sub.Answers})
	}
	if sum := f.releaseAt(t, time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)); sum.Released != 1 {
		t.Fatalf("%+v, want a release", sum)
	}
	sqlDB, _ := db.SQL()
	if _, err := sqlDB.Exec(`DELETE FROM report_release_moments`); err != nil {
		t.Fatal(err)
	}
	want := map[momentsKey]surveys.Moments{}
	for attr, m := range truthMoments(truth, true) {
		want[momentsKey{r, "2026-07", attr}] = m
	}
	for run := range 2 {
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate run %d: %v", run, err)
		}
		compareMoments(t, want, storedMoments(t, db))
	}
}
