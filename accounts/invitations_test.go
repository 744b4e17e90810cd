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

// TestCreateInvitation: only the operator makes links by hand, and only for
// a mentee on the resident's program's roster; nobody signed in, admins
// included, can obtain a survey URL this way.
func TestCreateInvitation(t *testing.T) {
	surveyRE := regexp.MustCompile(`^https://feedback\.example\.org/s/[A-Za-z0-9_-]{43}$`)
	op := func(*world) accounts.Actor { return accounts.Operator() }
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		in         func(w *world) accounts.NewInvitation
		wantCode   string
		wantFields map[string]string
		wantFor    func(w *world) *models.User
		wantLife   time.Duration
	}{
		{name: "link-operator-hours", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resB1.ID), MenteeEmail: "kim@student.example", Lifetime: 72 * time.Hour}
			},
			wantFor: func(w *world) *models.User { return w.resB1 }, wantLife: 72 * time.Hour},
		{name: "link-operator-days-mixed-case-email", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA2.ID), MenteeEmail: " Sam@Student.Example", ExpiresInDays: ptr(3)}
			},
			wantFor: func(w *world) *models.User { return w.resA2 }, wantLife: 3 * 24 * time.Hour},
		{name: "link-403-resident-self", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID), MenteeEmail: "sam@student.example"}
			},
			wantCode: surveys.EFORBIDDEN},
		{name: "link-403-own-director", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA2.ID), MenteeEmail: "sam@student.example"}
			},
			wantCode: surveys.EFORBIDDEN},
		{name: "link-403-admin", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA2.ID), MenteeEmail: "sam@student.example"}
			},
			wantCode: surveys.EFORBIDDEN},
		{name: "link-422-needs-resident", actor: op,
			in:       func(*world) accounts.NewInvitation { return accounts.NewInvitation{MenteeEmail: "sam@student.example"} },
			wantCode: surveys.EINVALID, wantFields: map[string]string{"resident_id": "is required"}},
		{name: "link-422-needs-mentee", actor: op,
			in:       func(w *world) accounts.NewInvitation { return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID)} },
			wantCode: surveys.EINVALID, wantFields: map[string]string{"mentee_email": "is required"}},
		{name: "link-422-fields", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID), MenteeEmail: "sam@student.example", MeetingDate: ptr("01/12/2026"), ExpiresInDays: ptr(accounts.MaxLinkLifetimeDays + 1)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{
				"meeting_date": "must be a date like 2026-11-25", "expires_in_days": "must be at most " + strconv.Itoa(accounts.MaxLinkLifetimeDays),
			}},
		{name: "link-422-not-on-roster", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID), MenteeEmail: "stranger@student.example"}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"mentee_email": models.ErrNotAMentee.Message}},
		{name: "link-422-other-programs-mentee", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID), MenteeEmail: "kim@student.example"}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"mentee_email": models.ErrNotAMentee.Message}},
		{name: "link-422-pending-mentee", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.resA1.ID), MenteeEmail: "pending@student.example"}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"mentee_email": models.ErrNotAMentee.Message}},
		{name: "link-422-not-a-resident", actor: op,
			in: func(w *world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(w.dirA.ID), MenteeEmail: "sam@student.example"}
			},
			wantCode: surveys.EINVALID},
		{name: "link-404-missing-resident", actor: op,
			in: func(*world) accounts.NewInvitation {
				return accounts.NewInvitation{ResidentID: ptr(int64(9999)), MenteeEmail: "sam@student.example"}
			},
			wantCode: surveys.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.mentee(w.progA, "sam@student.example", models.MenteeActive)
			w.mentee(w.progA, "pending@student.example", models.MenteePending)
			w.mentee(w.progB, "kim@student.example", models.MenteeActive)
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

// TestCreateInvitationAddsDomainMenteeAuditedAsOperator: an address in the
// program's mentee domains becomes a mentee on first use, and the log says
// the operator added it, by id only.
func TestCreateInvitationAddsDomainMenteeAuditedAsOperator(t *testing.T) {
	w := newWorld(t)
	if _, err := w.svc.UpdateProgram(w.ctx, w.asAdmin, accounts.ProgramChanges{ID: w.progA.ID, MenteeEmailDomains: &[]string{"med.example.edu"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.CreateInvitation(w.ctx, accounts.Operator(), accounts.NewInvitation{ResidentID: &w.resA1.ID, MenteeEmail: "new@med.example.edu"}); err != nil {
		t.Fatal(err)
	}
	m, err := w.db.MenteeByEmail(w.ctx, w.progA.ID, "new@med.example.edu")
	if err != nil || m.Status != models.MenteeActive || m.AddedBy != nil {
		t.Fatalf("mentee %+v (%v), want an active mentee added by nobody", m, err)
	}
	es := w.audit(models.ActionMenteeAutoAdd)
	if len(es) != 1 || es[0].Target != models.MenteeTarget(m.ID) {
		t.Fatalf("auto-add entries %+v, want one naming the mentee by id", es)
	}
	wantActor(t, es[0], accounts.Operator())
	wantNoAddress(t, es[0], "new@med.example.edu")
}
