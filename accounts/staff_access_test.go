package accounts_test

import (
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestDirectorsManageOnlyResidentsOfTheirPrograms holds the rule that keeps
// one director from taking over another: managing an account (changing it,
// deactivating it, issuing it a password link) is for admins, the operator
// and the directors of every program a resident belongs to. A co-director
// is visible (403), a director elsewhere is not (404).
func TestDirectorsManageOnlyResidentsOfTheirPrograms(t *testing.T) {
	w := newWorld(t)
	co := w.user("co.director@example.org", models.RoleDirector, &w.progB.ID, nil)
	if err := w.db.AddDirector(w.ctx, w.progA.ID, co.ID); err != nil {
		t.Fatal(err)
	}
	asCo := w.actor(co)
	const ok = ""
	for _, tc := range []struct {
		name  string
		actor accounts.Actor
		id    int64
		want  string
	}{
		{"manage-co-director-403", w.asDirA, co.ID, surveys.EFORBIDDEN},
		{"manage-director-of-other-program-404", w.asDirA, w.dirB.ID, surveys.ENOTFOUND},
		{"manage-director-sharing-a-program-403", asCo, w.dirA.ID, surveys.EFORBIDDEN},
		{"manage-admin-by-director-404", w.asDirA, w.admin.ID, surveys.ENOTFOUND},
		{"manage-own-resident", w.asDirA, w.resA1.ID, ok},
		{"manage-resident-of-either-program", asCo, w.resB1.ID, ok},
		{"manage-co-director-admin", w.asAdmin, co.ID, ok},
		{"manage-co-director-operator", accounts.Operator(), co.ID, ok},
		{"manage-self-director", w.asDirA, w.dirA.ID, ok},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.svc.User(w.ctx, tc.actor, tc.id, accounts.Manage)
			if got := surveys.ErrorCode(err); got != tc.want {
				t.Errorf("code %q, want %q (%v)", got, tc.want, err)
			}
		})
	}

	// The use cases follow: no link, no deactivation, no entry.
	before := w.auditCount()
	_, err := w.svc.IssuePasswordLink(w.ctx, w.asDirA, accounts.PasswordLinkRequest{UserID: co.ID})
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.UpdateUser(w.ctx, w.asDirA, accounts.UserChanges{ID: co.ID, Active: ptr(false)})
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.IssuePasswordLink(w.ctx, w.asDirA, accounts.PasswordLinkRequest{UserID: w.dirA.ID})
	wantCode(t, err, surveys.EFORBIDDEN)
	if n := w.auditCount(); n != before {
		t.Errorf("refused requests wrote %d audit entries", n-before)
	}
	if u, _ := w.db.UserByID(w.ctx, co.ID); !u.Active {
		t.Error("director A deactivated the co-director")
	}
	if _, err := w.svc.IssuePasswordLink(w.ctx, w.asAdmin, accounts.PasswordLinkRequest{UserID: co.ID}); err != nil {
		t.Errorf("the admin's link for the co-director: %v", err)
	}
}
