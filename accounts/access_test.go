package accounts_test

import (
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestAccess walks the access rules role by role: another program's
// resource is not_found like a missing one, a member who may only look,
// asking to manage, is forbidden.
func TestAccess(t *testing.T) {
	w := newWorld(t)
	type check func(a accounts.Actor) error
	program := func(id int64, manage bool) check {
		return func(a accounts.Actor) error { _, err := w.svc.Program(w.ctx, a, id, manage); return err }
	}
	user := func(id int64, manage bool) check {
		return func(a accounts.Actor) error { _, err := w.svc.User(w.ctx, a, id, manage); return err }
	}
	resident := func(id int64) check {
		return func(a accounts.Actor) error { _, err := w.svc.Resident(w.ctx, a, id); return err }
	}
	const ok = ""
	tests := []struct {
		name  string
		actor accounts.Actor
		check check
		want  string
	}{
		{"program-view-nobody-401", accounts.Actor{}, program(w.progA.ID, accounts.View), surveys.EUNAUTHORIZED},
		{"program-view-admin", w.asAdmin, program(w.progA.ID, accounts.View), ok},
		{"program-manage-operator", accounts.Operator(), program(w.progB.ID, accounts.Manage), ok},
		{"program-manage-own-director", w.asDirA, program(w.progA.ID, accounts.Manage), ok},
		{"program-view-other-director-404", w.asDirB, program(w.progA.ID, accounts.View), surveys.ENOTFOUND},
		{"program-view-own-resident", w.asResA1, program(w.progA.ID, accounts.View), ok},
		{"program-manage-own-resident-403", w.asResA1, program(w.progA.ID, accounts.Manage), surveys.EFORBIDDEN},
		{"program-manage-other-resident-404", w.asResA1, program(w.progB.ID, accounts.Manage), surveys.ENOTFOUND},
		{"program-missing-admin-404", w.asAdmin, program(9999, accounts.View), surveys.ENOTFOUND},
		{"program-missing-operator-404", accounts.Operator(), program(9999, accounts.Manage), surveys.ENOTFOUND},
		{"user-manage-admin", w.asAdmin, user(w.resB1.ID, accounts.Manage), ok},
		{"user-manage-own-director", w.asDirA, user(w.resA1.ID, accounts.Manage), ok},
		{"user-manage-other-director-404", w.asDirB, user(w.resA1.ID, accounts.Manage), surveys.ENOTFOUND},
		{"user-view-same-program-resident", w.asResA1, user(w.resA2.ID, accounts.View), ok},
		{"user-manage-same-program-resident-403", w.asResA1, user(w.resA2.ID, accounts.Manage), surveys.EFORBIDDEN},
		{"user-manage-self-resident-403", w.asResA1, user(w.resA1.ID, accounts.Manage), surveys.EFORBIDDEN},
		{"user-view-other-program-resident-404", w.asResA1, user(w.resB1.ID, accounts.View), surveys.ENOTFOUND},
		{"user-view-admin-by-director-404", w.asDirA, user(w.admin.ID, accounts.View), surveys.ENOTFOUND},
		{"user-missing-operator-404", accounts.Operator(), user(9999, accounts.View), surveys.ENOTFOUND},
		{"resident-self", w.asResA1, resident(w.resA1.ID), ok},
		{"resident-same-program-resident-403", w.asResA1, resident(w.resA2.ID), surveys.EFORBIDDEN},
		{"resident-other-program-resident-404", w.asResA1, resident(w.resB1.ID), surveys.ENOTFOUND},
		{"resident-own-director", w.asDirA, resident(w.resA2.ID), ok},
		{"resident-other-director-404", w.asDirB, resident(w.resA2.ID), surveys.ENOTFOUND},
		{"resident-admin", w.asAdmin, resident(w.resB1.ID), ok},
		{"resident-operator", accounts.Operator(), resident(w.resB1.ID), ok},
		{"resident-nobody-401", accounts.Actor{}, resident(w.resB1.ID), surveys.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := surveys.ErrorCode(tt.check(tt.actor)); got != tt.want {
				t.Errorf("code %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAccessMessages keeps today's wording: another program's resource reads
// exactly like a missing one.
func TestAccessMessages(t *testing.T) {
	w := newWorld(t)
	_, other := w.svc.Program(w.ctx, w.asDirB, w.progA.ID, accounts.View)
	_, missing := w.svc.Program(w.ctx, w.asAdmin, w.progA.ID+1000, accounts.View)
	if surveys.ErrorMessage(other) != "program "+itoa(w.progA.ID)+" does not exist" || surveys.ErrorMessage(missing) == "" {
		t.Errorf("other program: %q; missing: %q", surveys.ErrorMessage(other), surveys.ErrorMessage(missing))
	}
	_, err := w.svc.User(w.ctx, w.asDirB, w.resA1.ID, accounts.Manage)
	if got, want := surveys.ErrorMessage(err), "user "+itoa(w.resA1.ID)+" does not exist"; got != want {
		t.Errorf("other program's user: %q, want %q", got, want)
	}
	_, err = w.svc.Program(w.ctx, w.asResA1, w.progA.ID, accounts.Manage)
	if got, want := surveys.ErrorMessage(err), "your role may not change this program"; got != want {
		t.Errorf("resident managing: %q, want %q", got, want)
	}
	_, err = w.svc.Resident(w.ctx, w.asResA1, w.resA2.ID)
	if got, want := surveys.ErrorMessage(err), "only the resident and their program's directors may see or make their links"; got != want {
		t.Errorf("other resident's links: %q, want %q", got, want)
	}
}
