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
	sum, _ := db.DeliverySummary(ctx, p.ID)
	if len(sum) != 1 || sum[0].Counts[models.DeliveryExpired] != 1 {
		t.Errorf("summary %+v", sum)
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
