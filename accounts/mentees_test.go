package accounts_test

import (
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestAddMentee: directors and admins keep their programs' rosters,
// residents never; a director's address outside the mentee domains waits
// for approval, an admin's or the operator's is active at once.
func TestAddMentee(t *testing.T) {
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		program    func(w *world) int64
		email      string
		wantCode   string
		wantStatus string
	}{
		{"add-director-outside-domains-pending", func(w *world) accounts.Actor { return w.asDirA }, progA, "sam@student.example", "", models.MenteePending},
		{"add-director-in-domain-active", func(w *world) accounts.Actor { return w.asDirA }, progA, "Jo@Med.Example.Edu", "", models.MenteeActive},
		{"add-admin-active", func(w *world) accounts.Actor { return w.asAdmin }, progA, "sam@student.example", "", models.MenteeActive},
		{"add-operator-active", func(*world) accounts.Actor { return accounts.Operator() }, progB, "sam@student.example", "", models.MenteeActive},
		{"add-403-own-resident", func(w *world) accounts.Actor { return w.asResA1 }, progA, "sam@student.example", surveys.EFORBIDDEN, ""},
		{"add-404-other-resident", func(w *world) accounts.Actor { return w.asResA1 }, progB, "sam@student.example", surveys.ENOTFOUND, ""},
		{"add-404-other-director", func(w *world) accounts.Actor { return w.asDirB }, progA, "sam@student.example", surveys.ENOTFOUND, ""},
		{"add-401-nobody", func(*world) accounts.Actor { return accounts.Actor{} }, progA, "sam@student.example", surveys.EUNAUTHORIZED, ""},
		{"add-409-staff-resident", func(w *world) accounts.Actor { return w.asDirA }, progA, "res.b1@example.org", surveys.ECONFLICT, ""},
		{"add-409-staff-admin-any-case", func(w *world) accounts.Actor { return w.asAdmin }, progA, "ADMIN@example.org", surveys.ECONFLICT, ""},
		{"add-409-already-listed", func(w *world) accounts.Actor { return w.asAdmin }, progA, "listed@student.example", surveys.ECONFLICT, ""},
		{"add-422-not-an-address", func(w *world) accounts.Actor { return w.asDirA }, progA, "sam at student", surveys.EINVALID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			w.domains(w.progA, "med.example.edu")
			w.mentee(w.progA, "listed@student.example", models.MenteeActive)
			before := w.auditCount()
			a := tt.actor(w)
			m, err := w.svc.AddMentee(w.ctx, a, accounts.NewMentee{ProgramID: tt.program(w), Email: tt.email, Name: ptr("Sam Lee")})
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				if n := w.auditCount(); n != before {
					t.Errorf("a refused addition wrote %d audit entries", n-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Status != tt.wantStatus || m.Email != strings.ToLower(tt.email) || *m.Name != "Sam Lee" {
				t.Errorf("mentee %+v, want %s %s", m, strings.ToLower(tt.email), tt.wantStatus)
			}
			es := w.audit(models.ActionMenteeCreate)
			if len(es) != 1 || es[0].Target != models.MenteeTarget(m.ID) || *es[0].ProgramID != m.ProgramID {
				t.Fatalf("audit entries %+v", es)
			}
			wantActor(t, es[0], a)
			wantNoAddress(t, es[0], m.Email)
		})
	}
}

func progA(w *world) int64 { return w.progA.ID }
func progB(w *world) int64 { return w.progB.ID }

// domains sets a program's mentee domains as an admin.
func (w *world) domains(p *models.Program, ds ...string) {
	w.t.Helper()
	if _, err := w.svc.UpdateProgram(w.ctx, w.asAdmin, accounts.ProgramChanges{ID: p.ID, MenteeEmailDomains: &ds}); err != nil {
		w.t.Fatal(err)
	}
}

// TestStaffAccountCannotTakeAMenteesAddress: a mentee's address, on any
// program's roster, can become no staff account by any path.
func TestStaffAccountCannotTakeAMenteesAddress(t *testing.T) {
	w := newWorld(t)
	w.mentee(w.progB, "sam@student.example", models.MenteeInactive)
	_, err := w.svc.AddMember(w.ctx, w.asDirA, accounts.NewMember{ProgramID: w.progA.ID, Email: "Sam@student.example", Name: "Sam", Role: models.RoleDirector})
	wantCode(t, err, surveys.ECONFLICT)
	_, err = w.svc.CreateAccount(w.ctx, accounts.Operator(), accounts.NewAccount{Email: "sam@student.example", Name: "Sam", Role: models.RoleAdmin})
	wantCode(t, err, surveys.ECONFLICT)
	res, err := w.svc.ImportMembers(w.ctx, w.asDirA, accounts.MemberImport{ProgramID: w.progA.ID,
		CSV: strings.NewReader("sam@student.example,Sam,resident,1\nok@example.org,Ok,resident,1\n")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1 || len(res.Errors) != 1 || res.Errors[0].Line != 1 {
		t.Fatalf("import %+v, want line 1 refused and line 2 created", res)
	}
	if _, err := w.db.UserByEmail(w.ctx, "sam@student.example"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a staff account exists for the mentee's address: %v", err)
	}
}

// TestApproveMentee: four eyes on the roster. Only an admin approves, and
// only what is waiting; a director cannot approve their own addition.
func TestApproveMentee(t *testing.T) {
	w := newWorld(t)
	m, err := w.svc.AddMentee(w.ctx, w.asDirA, accounts.NewMentee{ProgramID: w.progA.ID, Email: "sam@student.example"})
	if err != nil || m.Status != models.MenteePending {
		t.Fatalf("added %+v, %v; want pending", m, err)
	}
	_, err = w.svc.ApproveMentee(w.ctx, w.asDirA, m.ID)
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.ApproveMentee(w.ctx, w.asResA1, m.ID)
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.ApproveMentee(w.ctx, w.asDirB, m.ID)
	wantCode(t, err, surveys.ENOTFOUND)
	// Deactivating and reactivating does not skip the approval either.
	if m, err = w.svc.UpdateMentee(w.ctx, w.asDirA, accounts.MenteeChanges{ID: m.ID, Active: ptr(false)}); err != nil || m.Status != models.MenteeInactive {
		t.Fatalf("deactivated %+v, %v", m, err)
	}
	if m, err = w.svc.UpdateMentee(w.ctx, w.asDirA, accounts.MenteeChanges{ID: m.ID, Active: ptr(true)}); err != nil || m.Status != models.MenteePending {
		t.Fatalf("a director reactivated %+v, %v; want pending again", m, err)
	}
	if len(w.audit(models.ActionMenteeApprove)) != 0 {
		t.Fatal("a refused approval was audited")
	}
	if m, err = w.svc.ApproveMentee(w.ctx, w.asAdmin, m.ID); err != nil || m.Status != models.MenteeActive {
		t.Fatalf("approved %+v, %v", m, err)
	}
	_, err = w.svc.ApproveMentee(w.ctx, w.asAdmin, m.ID)
	wantCode(t, err, surveys.ECONFLICT)
	es := w.audit(models.ActionMenteeApprove)
	if len(es) != 1 || es[0].Target != models.MenteeTarget(m.ID) {
		t.Fatalf("approve entries %+v", es)
	}
	wantActor(t, es[0], w.asAdmin)
}

// TestUpdateMentee renames and deactivates; another program's mentee reads
// as missing, a resident may not.
func TestUpdateMentee(t *testing.T) {
	w := newWorld(t)
	m := w.mentee(w.progA, "sam@student.example", models.MenteeActive)
	_, err := w.svc.UpdateMentee(w.ctx, w.asDirB, accounts.MenteeChanges{ID: m.ID, Name: ptr("X")})
	wantCode(t, err, surveys.ENOTFOUND)
	_, err = w.svc.UpdateMentee(w.ctx, w.asResA1, accounts.MenteeChanges{ID: m.ID, Name: ptr("X")})
	wantCode(t, err, surveys.EFORBIDDEN)
	got, err := w.svc.UpdateMentee(w.ctx, w.asDirA, accounts.MenteeChanges{ID: m.ID, Name: ptr("Sam  Lee"), Active: ptr(false)})
	if err != nil || *got.Name != "Sam Lee" || got.Status != models.MenteeInactive {
		t.Fatalf("updated %+v, %v", got, err)
	}
	if got, err = w.svc.UpdateMentee(w.ctx, w.asAdmin, accounts.MenteeChanges{ID: m.ID, Active: ptr(true)}); err != nil || got.Status != models.MenteeActive {
		t.Fatalf("an admin reactivated %+v, %v; want active", got, err)
	}
	es := w.audit(models.ActionMenteeUpdate)
	if len(es) != 2 {
		t.Fatalf("update entries %+v", es)
	}
	wantNoAddress(t, es[0], "sam@student.example")
	if strings.Contains(es[0].Detail, "Sam") {
		t.Errorf("the entry holds the mentee's name: %q", es[0].Detail)
	}
}

// TestImportMentees follows the members import's rules and answer shape.
func TestImportMentees(t *testing.T) {
	w := newWorld(t)
	w.domains(w.progA, "med.example.edu")
	w.mentee(w.progA, "listed@student.example", models.MenteeActive)
	csv := "email,name\nnew@student.example,New One\njo@med.example.edu,\nlisted@student.example,Listed Now\ndir.b@example.org,Director\nnot an address,X\nnew@student.example,Again\n"
	res, err := w.svc.ImportMentees(w.ctx, w.asDirA, accounts.MenteeImport{ProgramID: w.progA.ID, CSV: strings.NewReader(csv)})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
	}
	if res.Created != 2 || res.Updated != 1 || len(lines) != 3 || lines[0] != 5 || lines[1] != 6 || lines[2] != 7 {
		t.Fatalf("import %+v, want 2 created, 1 updated, lines 5-7 refused", res)
	}
	for email, want := range map[string]string{"new@student.example": models.MenteePending, "jo@med.example.edu": models.MenteeActive} {
		if m, err := w.db.MenteeByEmail(w.ctx, w.progA.ID, email); err != nil || m.Status != want || *m.AddedBy != w.dirA.ID {
			t.Errorf("%s: %+v %v, want %s added by the director", email, m, err, want)
		}
	}
	if es := w.audit(models.ActionMenteeImport); len(es) != 1 || es[0].Detail != "created 2, updated 1, rows not applied 3" {
		t.Errorf("import entries %+v", es)
	}
	if n := len(w.audit(models.ActionMenteeCreate)) + len(w.audit(models.ActionMenteeUpdate)); n != 3 {
		t.Errorf("%d row entries, want 3", n)
	}
	_, err = w.svc.ImportMentees(w.ctx, w.asResA1, accounts.MenteeImport{ProgramID: w.progA.ID, CSV: strings.NewReader(csv)})
	wantCode(t, err, surveys.EFORBIDDEN)
}

// TestMenteeEmailDomains: only admins set them, each must be a domain name,
// and they are kept lower-cased without repeats.
func TestMenteeEmailDomains(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.UpdateProgram(w.ctx, w.asDirA, accounts.ProgramChanges{ID: w.progA.ID, MenteeEmailDomains: &[]string{"med.example.edu"}})
	wantCode(t, err, surveys.EFORBIDDEN)
	_, err = w.svc.UpdateProgram(w.ctx, w.asAdmin, accounts.ProgramChanges{ID: w.progA.ID, MenteeEmailDomains: &[]string{"ok.example", "@bad.example", "localhost", "-x.example"}})
	wantFields(t, err, map[string]string{"mentee_email_domains[1]": "must be a domain name like med.example.edu",
		"mentee_email_domains[2]": "must be a domain name like med.example.edu", "mentee_email_domains[3]": "must be a domain name like med.example.edu"})
	p, err := w.svc.UpdateProgram(w.ctx, w.asAdmin, accounts.ProgramChanges{ID: w.progA.ID, MenteeEmailDomains: &[]string{"Med.Example.EDU", "med.example.edu", "student.example"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.MenteeDomains(), ","); got != "med.example.edu,student.example" {
		t.Errorf("domains %q", got)
	}
	stored, _ := w.db.ProgramByID(w.ctx, w.progA.ID)
	if stored.MenteeEmailDomains != "med.example.edu,student.example" {
		t.Errorf("stored %q", stored.MenteeEmailDomains)
	}
	if p, err = w.svc.UpdateProgram(w.ctx, w.asAdmin, accounts.ProgramChanges{ID: w.progA.ID, MenteeEmailDomains: &[]string{}}); err != nil || len(p.MenteeDomains()) != 0 {
		t.Errorf("clearing: %v %v", p.MenteeDomains(), err)
	}
}
