package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// A pending link past its expiry shows as expired to directors before the
// sweep has run, and the sweep then erases the mentee's contact.
func TestMeetingPastExpiryShowsExpiredThenIsErased(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	db.Now = func() time.Time { return now }
	p := &models.Program{Name: "Medicine"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.ReminderAfterDays != 3 || p.MaxReminders != 1 || p.LinkLifetimeDays != 14 {
		t.Errorf("new program settings %+v, want 3/1/14", p.DeliverySettings)
	}
	r := &models.User{Email: "r@h.example", Name: "Dr R", Role: models.RoleResident, ProgramID: &p.ID}
	if err := db.CreateUser(ctx, r); err != nil {
		t.Fatal(err)
	}
	date := now.Format(time.DateOnly)
	inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: r.ID, MeetingDate: &date, Lifetime: p.LinkLifetime()})
	if err != nil {
		t.Fatal(err)
	}
	email, sealed := "m@s.example", "sealed"
	m := &models.Meeting{ResidentID: r.ID, ProgramID: p.ID, InvitationID: inv.ID, MeetingDate: date,
		MenteeEmail: &email, SealedToken: &sealed, DeliveryStatus: models.DeliverySent}
	if err := db.CreateMeeting(ctx, m); err != nil {
		t.Fatal(err)
	}

	now = now.Add(15 * 24 * time.Hour)
	ms, err := db.ListMeetings(ctx, models.MeetingFilter{ProgramID: p.ID, Status: models.DeliveryExpired})
	if err != nil || len(ms) != 1 || ms[0].DeliveryStatus != models.DeliveryExpired {
		t.Fatalf("expired filter before the sweep: %+v %v", ms, err)
	}
	if sent, _ := db.ListMeetings(ctx, models.MeetingFilter{ProgramID: p.ID, Status: models.DeliverySent}); len(sent) != 0 {
		t.Errorf("an overdue link still listed as sent")
	}
	// Staff see the email's delivery only: the link's lapse is not theirs
	// to see, so the summary still counts it as sent.
	sum, _ := db.DeliverySummary(ctx, p.ID)
	if len(sum) != 1 || sum[0].Counts[models.DeliverySent] != 1 || len(sum[0].Counts) != 1 {
		t.Errorf("summary %+v, want one sent", sum)
	}
	if shown, _ := db.ListMeetings(ctx, models.MeetingFilter{ProgramID: p.ID, Shown: models.DeliverySent}); len(shown) != 1 || shown[0].ShownDelivery != models.DeliverySent {
		t.Errorf("shown-sent filter: %+v, want the lapsed meeting as sent", shown)
	}
	if _, err := db.ExpireLinks(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := db.MeetingByID(ctx, m.ID)
	if got.MenteeEmail != nil || got.SealedToken != nil || got.DeliveryStatus != models.DeliveryExpired {
		t.Errorf("after the sweep: %+v", got)
	}
}

func TestDeliverySettingsAreValidated(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := &models.Program{Name: "Medicine"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	err := db.UpdateDeliverySettings(ctx, p.ID, models.DeliverySettings{ReminderAfterDays: 0, MaxReminders: 9, LinkLifetimeDays: 90})
	var ae *surveys.Error
	if surveys.ErrorCode(err) != surveys.EINVALID || !errors.As(err, &ae) || len(ae.Fields) != 3 {
		t.Errorf("bad settings: %v, want three field errors", err)
	}
	if err := db.UpdateDeliverySettings(ctx, p.ID, models.DeliverySettings{ReminderAfterDays: 2, MaxReminders: 0, LinkLifetimeDays: 7}); err != nil {
		t.Fatal(err)
	}
	got, _ := db.ProgramByID(ctx, p.ID)
	if got.DeliverySettings != (models.DeliverySettings{ReminderAfterDays: 2, MaxReminders: 0, LinkLifetimeDays: 7}) {
		t.Errorf("settings %+v", got.DeliverySettings)
	}
}

// TestShownDeliveryHidesWhetherTheMenteeAnswered: residents and directors
// see a meeting's email (queued, sent, failed), never whether its link was
// answered, declined or left to lapse, and the SQL filter agrees with the
// status each meeting carries.
func TestShownDeliveryHidesWhetherTheMenteeAnswered(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	db.Now = func() time.Time { return now }
	p := &models.Program{Name: "Medicine"}
	if err := db.CreateProgram(ctx, p); err != nil {
		t.Fatal(err)
	}
	r := &models.User{Email: "r@h.example", Name: "Dr R", Role: models.RoleResident, ProgramID: &p.ID}
	if err := db.CreateUser(ctx, r); err != nil {
		t.Fatal(err)
	}
	sentAt := now.Add(-time.Hour)
	date := now.Format(time.DateOnly)
	cases := []struct {
		raw    string
		sent   *time.Time
		lapsed bool
		want   string
	}{
		{models.DeliveryQueued, nil, false, models.DeliveryQueued},
		{models.DeliverySent, &sentAt, false, models.DeliverySent},
		{models.DeliveryReminded, &sentAt, false, models.DeliverySent},
		{models.DeliveryFailed, nil, false, models.DeliveryFailed},
		{models.DeliveryCompleted, &sentAt, false, models.DeliverySent},
		{models.DeliveryDeclined, &sentAt, false, models.DeliverySent},
		{models.DeliveryExpired, &sentAt, false, models.DeliverySent},
		{models.DeliveryQueued, nil, true, models.DeliveryFailed},
		// A failed reminder is not shown: it would say the link was unanswered.
		{models.DeliveryFailed, &sentAt, false, models.DeliverySent},
	}
	want := map[int64]string{}
	for _, c := range cases {
		life := 14 * 24 * time.Hour
		if c.lapsed {
			life = time.Minute
		}
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: r.ID, MeetingDate: &date, Lifetime: life})
		if err != nil {
			t.Fatal(err)
		}
		m := &models.Meeting{ResidentID: r.ID, ProgramID: p.ID, InvitationID: inv.ID, MeetingDate: date, DeliveryStatus: c.raw, SentAt: c.sent}
		if err := db.CreateMeeting(ctx, m); err != nil {
			t.Fatal(err)
		}
		want[m.ID] = c.want
	}
	now = now.Add(time.Hour)
	all, err := db.ListMeetings(ctx, models.MeetingFilter{ProgramID: p.ID})
	if err != nil || len(all) != len(cases) {
		t.Fatalf("list: %d meetings, %v", len(all), err)
	}
	for _, m := range all {
		if m.ShownDelivery != want[m.ID] {
			t.Errorf("meeting %d (%s): shown %q, want %q", m.ID, m.DeliveryStatus, m.ShownDelivery, want[m.ID])
		}
	}
	for _, st := range models.ShownDeliveries {
		got, err := db.ListMeetings(ctx, models.MeetingFilter{ProgramID: p.ID, Shown: st})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, w := range want {
			if w == st {
				n++
			}
		}
		if len(got) != n {
			t.Errorf("filter %q: %d meetings, want %d", st, len(got), n)
		}
		for _, m := range got {
			if m.ShownDelivery != st {
				t.Errorf("filter %q returned meeting %d shown as %q", st, m.ID, m.ShownDelivery)
			}
		}
	}
}
