package models_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// submitFixture is one resident with a way to make links in any state.
type submitFixture struct {
	t     *testing.T
	db    *models.DB
	clock *clock
	res   *models.User
}

func newSubmitFixture(t *testing.T) *submitFixture {
	db := dbtest.New(t)
	p := mustProgram(t, db, "Paediatrics")
	res := mustUser(t, db, &models.User{Email: "ana@example.org", Name: "Ana", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(1)})
	return &submitFixture{t: t, db: db, clock: newClock(db), res: res}
}

func (f *submitFixture) link(lifetime time.Duration) string {
	f.t.Helper()
	inv, err := f.db.CreateInvitation(context.Background(), models.NewInvitation{ResidentID: f.res.ID, Lifetime: lifetime})
	if err != nil {
		f.t.Fatal(err)
	}
	return inv.Token
}

// decodeBody decodes a JSON body and records which instruments it was
// decoded against.
func decodeBody(body string, asked *[]string) models.DecodeFunc {
	return func(in *surveys.Instrument) (surveys.Submission, error) {
		*asked = append(*asked, in.Key+"@"+strconv.Itoa(in.Version))
		return in.DecodeSubmission([]byte(body))
	}
}

const validV1 = `{"answers":{"A1":5,"A2":4,"C1":4,"C2":3,"C3":5,"S1":5,"S2":null,"S3":4,"G":5}}`

func TestSubmitSaysWhyALinkIsClosed(t *testing.T) {
	f := newSubmitFixture(t)
	ctx := context.Background()
	answered := f.link(0)
	if err := f.db.Submit(ctx, answered, decodeBody(validV1, new([]string))); err != nil {
		t.Fatal(err)
	}
	declined := f.link(0)
	if err := f.db.DeclineLink(ctx, declined); err != nil {
		t.Fatal(err)
	}
	expired := f.link(time.Hour)
	f.clock.advance(2 * time.Hour)
	unknown, _ := surveys.NewToken() // well formed, never stored

	for _, tc := range []struct {
		name, token, body string
		want              error
		wantCode          string
	}{
		{"not-found-unknown", unknown, validV1, models.ErrLinkNotFound, surveys.ENOTFOUND},
		{"not-found-malformed", "short", validV1, models.ErrLinkNotFound, surveys.ENOTFOUND},
		{"completed", answered, validV1, models.ErrLinkCompleted, surveys.EGONE},
		{"expired", expired, validV1, models.ErrLinkExpired, surveys.EGONE},
		{"declined", declined, validV1, models.ErrLinkDeclined, surveys.EGONE},
		{"completed-wins-over-invalid-body", answered, `{"answers":{"A1":9}}`, models.ErrLinkCompleted, surveys.EGONE},
		{"expired-wins-over-malformed-body", expired, `{`, models.ErrLinkExpired, surveys.EGONE},
		{"not-found-wins-over-empty-body", unknown, ``, models.ErrLinkNotFound, surveys.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.db.Submit(ctx, tc.token, decodeBody(tc.body, new([]string)))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Submit = %v, want %v", err, tc.want)
			}
			if code := surveys.ErrorCode(err); code != tc.wantCode {
				t.Errorf("code = %q, want %q", code, tc.wantCode)
			}
		})
	}
}

func TestSubmitInvalidBodyCarriesTheLink(t *testing.T) {
	f := newSubmitFixture(t)
	var asked []string
	err := f.db.Submit(context.Background(), f.link(0), decodeBody(`{"answers":{"A1":9}}`, &asked))
	var invalid *models.InvalidAnswers
	if !errors.As(err, &invalid) {
		t.Fatalf("Submit = %v (%T), want *models.InvalidAnswers", err, err)
	}
	if code := surveys.ErrorCode(err); code != surveys.EINVALID {
		t.Errorf("code = %q, want invalid", code)
	}
	if invalid.Link.ResidentName != "Ana" || invalid.Instrument != surveys.Default() {
		t.Errorf("invalid answers carry link of %q and instrument %s@%d, want Ana's and the default", invalid.Link.ResidentName, invalid.Instrument.Key, invalid.Instrument.Version)
	}
	if len(asked) != 1 {
		t.Errorf("decoded against %v, want the default instrument only", asked)
	}
	if n, _ := f.db.CountResponses(context.Background(), f.res.ID); n != 0 {
		t.Errorf("%d responses stored from an invalid body", n)
	}
}

// versionSeven is a later version without S3, for links created under it.
var versionSeven = func() *surveys.Instrument {
	v1 := surveys.Default()
	return &surveys.Instrument{Key: v1.Key, Version: 7, Title: v1.Title, Scale: v1.Scale, Comments: v1.Comments,
		Items: slices.DeleteFunc(slices.Clone(v1.Items), func(it surveys.Item) bool { return it.Key == "S3" })}
}()

func TestSubmitDecodesAgainstTheLinksInstrument(t *testing.T) {
	if _, err := surveys.Lookup(versionSeven.Key, versionSeven.Version); err != nil {
		if err := surveys.Register(versionSeven); err != nil {
			t.Fatal(err)
		}
	}
	f := newSubmitFixture(t)
	ctx := context.Background()
	token := f.link(0)
	sqlDB, err := f.db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	// The link was created while version 7 was current.
	if _, err := sqlDB.ExecContext(ctx, `UPDATE invitations SET instrument_version = 7`); err != nil {
		t.Fatal(err)
	}
	noS3 := strings.Replace(validV1, `,"S3":4`, "", 1)

	var asked []string
	if err := f.db.Submit(ctx, token, decodeBody(validV1, &asked)); !errors.As(err, new(*models.InvalidAnswers)) {
		t.Fatalf("a version 1 body for a version 7 link: %v, want invalid answers", err)
	}
	if want := []string{"resident-mentor@1", "resident-mentor@7"}; !slices.Equal(asked, want) {
		t.Errorf("decoded against %v, want %v", asked, want)
	}
	asked = nil
	if err := f.db.Submit(ctx, token, decodeBody(noS3, &asked)); err != nil {
		t.Fatalf("a version 7 body for a version 7 link: %v", err)
	}
	if want := []string{"resident-mentor@1", "resident-mentor@7"}; !slices.Equal(asked, want) {
		t.Errorf("decoded against %v, want %v", asked, want)
	}
	// The answers wait in holding until the mixer moves them.
	var held int
	if err := sqlDB.QueryRowContext(ctx, `SELECT instrument_version FROM held_responses`).Scan(&held); err != nil || held != 7 {
		t.Fatalf("held version %d (%v), want one answer to version 7", held, err)
	}
	if err := f.db.Submit(ctx, token, decodeBody(noS3, new([]string))); !errors.Is(err, models.ErrLinkCompleted) {
		t.Errorf("second submission: %v, want ErrLinkCompleted", err)
	}
}

func TestSubmitOnTheDefaultInstrumentDecodesOnce(t *testing.T) {
	f := newSubmitFixture(t)
	var asked []string
	if err := f.db.Submit(context.Background(), f.link(0), decodeBody(validV1, &asked)); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 {
		t.Errorf("decoded against %v, want the default instrument once", asked)
	}
}
