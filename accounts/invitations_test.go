package accounts_test

import (
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestCreateInvitation(t *testing.T) {
	surveyRE := regexp.MustCompile(`^https://feedback\.example\.org/s/[A-Za-z0-9_-]{43}$`)
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		in         func(w *world) accounts.NewInvitation
		wantCode   string
		wantFields map[string]string
		wantFor    func(w *world) *models.User
		wantLife   time.Duration
	}{
		{name: "link-resident-self-implicit", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in: func(*world) accounts.NewInvitation {
				return accounts.NewInvitation{MeetingDate: ptr(time.Now().UTC().Format(time.DateOnly))}
			},
			wantFor: func(w *world) *models.User { return w.resA1 }, wantLife: models.DefaultLinkLifetime},
		{name: "link-own-director-days", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA2.ID), ExpiresInDays: ptr(3)}
			},
			wantFor: func(w *world) *models.User { return w.resA2 }, wantLife: 3 * 24 * time.Hour},
		{name: "link-operator-hours", actor: func(*world) accounts.Actor { return accounts.Operator() },
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resB1.ID), Lifetime: 72 * time.Hour}
			},
			wantFor: func(w *world) *models.User { return w.resB1 }, wantLife: 72 * time.Hour},
		{name: "link-422-admin-needs-resident", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in:       func(*world) accounts.NewInvitation { return accounts.NewInvitation{} },
			wantCode: surveys.EINVALID, wantFields: map[string]string{"resident_id": "is required"}},
		{name: "link-422-fields", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in: func(*world) accounts.NewInvitation {
				return accounts.NewInvitation{MeetingDate: ptr("01/12/2026"), ExpiresInDays: ptr(accounts.MaxLinkLifetimeDays + 1)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{
				"meeting_date": "must be a date like 2026-11-25", "expires_in_days": "must be at most " + strconv.Itoa(accounts.MaxLinkLifetimeDays),
			}},
		{name: "link-403-other-resident-same-program", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in:       func(w *world) accounts.NewInvitation { return accounts.NewInvitation{ResidentID: ptr(w.resA2.ID)} },
			wantCode: surveys.EFORBIDDEN},
		{name: "link-404-resident-other-program", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in:       func(w *world) accounts.NewInvitation { return accounts.NewInvitation{ResidentID: ptr(w.resB1.ID)} },
			wantCode: surveys.ENOTFOUND},
		{name: "link-404-other-director", actor: func(w *world) accounts.Actor { return w.asDirB },
			in:       func(w *world) accounts.NewInvitation { return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID)} },
			wantCode: surveys.ENOTFOUND},
		{name: "link-422-not-a-resident", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in:       func(w *world) accounts.NewInvitation { return accounts.NewInvitation{ResidentID: ptr(w.dirA.ID)} },
			wantCode: surveys.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			before := w.auditCount()
			a := tt.actor(w)
			got, err := w.svc.CreateInvitation(w.ctx, a, tt.in(w))
			if tt.wantCode != "" {
				if tt.wantFields != nil {
					wantFields(t, err, tt.wantFields)
				}
				wantCode(t, err, tt.wantCode)
				if n := w.auditCount(); n != before {
					t.Errorf("a refused link wrote %d audit entries", n-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res := tt.wantFor(w)
			if !surveyRE.MatchString(got.SurveyURL) || got.Invitation.ResidentID != res.ID {
				t.Errorf("link %+v, want a survey URL for user %d", got, res.ID)
			}
			if life := got.Invitation.ExpiresAt.Sub(got.Invitation.CreatedAt); life != tt.wantLife {
				t.Errorf("lifetime %s, want %s", life, tt.wantLife)
			}
			es := w.audit(models.ActionInvitationCreate)
			if len(es) != 1 || es[0].Target != "user:"+itoa(res.ID) || *es[0].ProgramID != *res.ProgramID {
				t.Fatalf("audit entries %+v", es)
			}
			wantActor(t, es[0], a)
		})
	}
}
