package accounts_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

var setPasswordRE = regexp.MustCompile(`^https://feedback\.example\.org/set-password/([A-Za-z0-9_-]{43})$`)

func TestAddMember(t *testing.T) {
	maxPGY := strconv.Itoa(models.MaxPGYYear)
	resident := func(w *world) accounts.NewMember {
		return accounts.NewMember{ProgramID: w.progA.ID, Email: "New@Example.org", Name: "Dr. New", Role: models.RoleResident, PGYYear: ptr(1)}
	}
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		in         func(w *world) accounts.NewMember
		wantCode   string
		wantFields map[string]string
	}{
		{name: "add-own-director", actor: func(w *world) accounts.Actor { return w.asDirA }, in: resident},
		{name: "add-operator", actor: func(*world) accounts.Actor { return accounts.Operator() }, in: resident},
		{name: "add-404-other-director", actor: func(w *world) accounts.Actor { return w.asDirB }, in: resident, wantCode: surveys.ENOTFOUND},
		{name: "add-403-resident", actor: func(w *world) accounts.Actor { return w.asResA1 }, in: resident, wantCode: surveys.EFORBIDDEN},
		{name: "add-422-fields", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.NewMember {
				return accounts.NewMember{ProgramID: w.progA.ID, Role: "mentor", PGYYear: ptr(models.MaxPGYYear + 1)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{
				"email": "is required", "name": "is required",
				"role": "must be one of: resident, director", "pgy_year": "must be at most " + maxPGY,
			}},
		{name: "add-422-resident-without-pgy", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.NewMember {
				m := resident(w)
				m.PGYYear = nil
				return m
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"pgy_year": "a resident needs a PGY year from 1 to 7"}},
		{name: "add-409-email-taken", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.NewMember {
				m := resident(w)
				m.Email = "RES.B1@example.org"
				return m
			},
			wantCode: surveys.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			before := w.auditCount()
			a := tt.actor(w)
			got, err := w.svc.AddMember(w.ctx, a, tt.in(w))
			if tt.wantCode != "" {
				if tt.wantFields != nil {
					wantFields(t, err, tt.wantFields)
				}
				wantCode(t, err, tt.wantCode)
				if n := w.auditCount(); n != before {
					t.Errorf("a rejected add wrote %d audit entries", n-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m := setPasswordRE.FindStringSubmatch(got.SetPasswordURL)
			if m == nil {
				t.Fatalf("set-password URL %q", got.SetPasswordURL)
			}
			if _, err := w.db.UsePasswordLink(w.ctx, m[1], "violet kettle marathon"); err != nil {
				t.Errorf("the set-password link does not work: %v", err)
			}
			es := w.audit(models.ActionMemberCreate)
			if len(es) != 1 || es[0].Target != "user:"+itoa(got.User.ID) || *es[0].ProgramID != w.progA.ID {
				t.Fatalf("audit entries %+v", es)
			}
			if strings.Contains(es[0].Detail, m[1]) {
				t.Errorf("audit detail %q holds the token", es[0].Detail)
			}
			wantActor(t, es[0], a)
		})
	}
}

func TestCreateAccount(t *testing.T) {
	w := newWorld(t)
	u, err := w.svc.CreateAccount(w.ctx, accounts.Operator(), accounts.NewAccount{Email: "root@example.org", Name: "Root", Role: models.RoleAdmin, Password: "violet kettle marathon"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.Authenticate(w.ctx, "root@example.org", "violet kettle marathon"); err != nil {
		t.Errorf("the new admin cannot sign in: %v", err)
	}
	es := w.audit(models.ActionMemberCreate)
	if len(es) != 1 || es[0].Target != "user:"+itoa(u.ID) || strings.Contains(es[0].Detail, "violet") {
		t.Fatalf("audit entries %+v, want one without the password", es)
	}
	wantActor(t, es[0], accounts.Operator())

	before := w.auditCount()
	for name, tc := range map[string]struct {
		actor accounts.Actor
		in    accounts.NewAccount
		code  string
	}{
		"account-403-director":         {w.asDirA, accounts.NewAccount{Email: "x@example.org", Name: "X", Role: models.RoleAdmin}, surveys.EFORBIDDEN},
		"account-422-no-program":       {accounts.Operator(), accounts.NewAccount{Email: "x@example.org", Name: "X", Role: models.RoleResident}, surveys.EINVALID},
		"account-422-short-password":   {accounts.Operator(), accounts.NewAccount{Email: "x@example.org", Name: "X", Role: models.RoleAdmin, Password: "short"}, surveys.EINVALID},
		"account-422-bad-email":        {accounts.Operator(), accounts.NewAccount{Email: "not-an-email", Name: "X", Role: models.RoleAdmin}, surveys.EINVALID},
		"account-404-unknown-program":  {accounts.Operator(), accounts.NewAccount{Email: "x@example.org", Name: "X", Role: models.RoleResident, ProgramID: ptr(int64(9999))}, surveys.ENOTFOUND},
		"account-409-email-taken":      {accounts.Operator(), accounts.NewAccount{Email: "ROOT@example.org", Name: "X", Role: models.RoleAdmin}, surveys.ECONFLICT},
		"account-422-pgy-out-of-range": {accounts.Operator(), accounts.NewAccount{Email: "x@example.org", Name: "X", Role: models.RoleResident, ProgramID: &w.progA.ID, PGYYear: ptr(0)}, surveys.EINVALID},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := w.svc.CreateAccount(w.ctx, tc.actor, tc.in)
			wantCode(t, err, tc.code)
		})
	}
	if n := w.auditCount(); n != before {
		t.Errorf("rejected accounts wrote %d audit entries", n-before)
	}
}

func TestImportMembers(t *testing.T) {
	w := newWorld(t)
	csv := "email,name,role,pgy_year\nnew1@example.org,New One,resident,1\nres.a1@example.org,Renamed,resident,2\nbad,Bad,resident,1\n"
	res, err := w.svc.ImportMembers(w.ctx, w.asDirA, accounts.MemberImport{ProgramID: w.progA.ID, CSV: strings.NewReader(csv)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1 || res.Updated != 1 || len(res.Errors) != 1 {
		t.Fatalf("import result %+v, want 1 created, 1 updated, 1 error", res)
	}
	created, updated, imports := w.audit(models.ActionMemberCreate), w.audit(models.ActionMemberUpdate), w.audit(models.ActionMemberImport)
	if len(created) != 1 || len(updated) != 1 || len(imports) != 1 {
		t.Fatalf("audit: %d created, %d updated, %d imports; want one each", len(created), len(updated), len(imports))
	}
	if imports[0].Detail != "created 1, updated 1, rows not applied 1" || imports[0].Target != "program:"+itoa(w.progA.ID) {
		t.Errorf("import entry %+v", imports[0])
	}
	for _, e := range []models.AuditRow{created[0], updated[0], imports[0]} {
		wantActor(t, e, w.asDirA)
	}

	before := w.auditCount()
	for name, tc := range map[string]struct {
		actor accounts.Actor
		code  string
	}{"import-404-other-director": {w.asDirB, surveys.ENOTFOUND}, "import-403-resident": {w.asResA1, surveys.EFORBIDDEN}} {
		t.Run(name, func(t *testing.T) {
			_, err := w.svc.ImportMembers(w.ctx, tc.actor, accounts.MemberImport{ProgramID: w.progA.ID, CSV: strings.NewReader(csv)})
			wantCode(t, err, tc.code)
		})
	}
	_, err = w.svc.ImportMembers(w.ctx, w.asDirA, accounts.MemberImport{ProgramID: w.progA.ID, CSV: strings.NewReader("email,colour\n")})
	wantCode(t, err, surveys.EINVALID)
	if n := w.auditCount(); n != before {
		t.Errorf("rejected imports wrote %d audit entries", n-before)
	}
}

func TestUpdateUser(t *testing.T) {
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		in         func(w *world) accounts.UserChanges
		wantCode   string
		wantFields map[string]string
	}{
		{name: "update-own-director-deactivates", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.UserChanges {
				return accounts.UserChanges{ID: w.resA1.ID, Active: ptr(false), PGYYear: ptr(3)}
			}},
		{name: "update-operator-renames", actor: func(*world) accounts.Actor { return accounts.Operator() },
			in: func(w *world) accounts.UserChanges { return accounts.UserChanges{ID: w.resB1.ID, Name: ptr("Dr. B")} }},
		{name: "update-422-deactivate-self", actor: func(w *world) accounts.Actor { return w.asDirA },
			in:       func(w *world) accounts.UserChanges { return accounts.UserChanges{ID: w.dirA.ID, Active: ptr(false)} },
			wantCode: surveys.EINVALID, wantFields: map[string]string{"active": "you cannot deactivate your own account"}},
		{name: "update-422-pgy-range", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.UserChanges {
				return accounts.UserChanges{ID: w.resA1.ID, PGYYear: ptr(models.MinPGYYear - 1)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"pgy_year": "must be at least " + strconv.Itoa(models.MinPGYYear)}},
		{name: "update-403-resident-other", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in:       func(w *world) accounts.UserChanges { return accounts.UserChanges{ID: w.resA2.ID, Name: ptr("X")} },
			wantCode: surveys.EFORBIDDEN},
		{name: "update-404-other-director", actor: func(w *world) accounts.Actor { return w.asDirB },
			in:       func(w *world) accounts.UserChanges { return accounts.UserChanges{ID: w.resA1.ID, Name: ptr("X")} },
			wantCode: surveys.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			before := w.auditCount()
			a, in := tt.actor(w), tt.in(w)
			u, err := w.svc.UpdateUser(w.ctx, a, in)
			if tt.wantCode != "" {
				if tt.wantFields != nil {
					wantFields(t, err, tt.wantFields)
				}
				wantCode(t, err, tt.wantCode)
				if n := w.auditCount(); n != before {
					t.Errorf("a rejected update wrote %d audit entries", n-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			stored, _ := w.db.UserByID(w.ctx, in.ID)
			if stored.Active != u.Active || stored.Name != u.Name || (in.Active != nil && stored.Active) {
				t.Errorf("stored %+v, returned %+v", stored, u)
			}
			es := w.audit(models.ActionMemberUpdate)
			if len(es) != 1 || es[0].Target != "user:"+itoa(in.ID) {
				t.Fatalf("audit entries %+v", es)
			}
			wantActor(t, es[0], a)
		})
	}
}

func TestIssuePasswordLink(t *testing.T) {
	w := newWorld(t)
	link, err := w.svc.IssuePasswordLink(w.ctx, w.asDirA, accounts.PasswordLinkRequest{UserID: w.resA1.ID})
	if err != nil {
		t.Fatal(err)
	}
	m := setPasswordRE.FindStringSubmatch(link.URL)
	if m == nil || link.Purpose != models.PurposeSetup {
		t.Fatalf("link %+v, want a setup link on the base URL", link)
	}
	if _, err := w.db.UsePasswordLink(w.ctx, m[1], "violet kettle marathon"); err != nil {
		t.Errorf("the link does not work: %v", err)
	}
	link, err = w.svc.IssuePasswordLink(w.ctx, accounts.Operator(), accounts.PasswordLinkRequest{UserID: w.resA1.ID})
	if err != nil || link.Purpose != models.PurposeReset {
		t.Fatalf("second link %+v, %v; want a reset link", link, err)
	}
	es := w.audit(models.ActionPasswordLink)
	if len(es) != 2 || es[0].Detail != models.PurposeSetup || es[1].Detail != models.PurposeReset {
		t.Fatalf("audit entries %+v", es)
	}
	wantActor(t, es[0], w.asDirA)
	wantActor(t, es[1], accounts.Operator())

	if _, err := w.svc.UpdateUser(w.ctx, w.asAdmin, accounts.UserChanges{ID: w.resA2.ID, Active: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	before := w.auditCount()
	for name, tc := range map[string]struct {
		actor accounts.Actor
		id    int64
		code  string
	}{
		"link-422-deactivated":      {w.asDirA, w.resA2.ID, surveys.EINVALID},
		"link-403-resident":         {w.asResA1, w.resA1.ID, surveys.EFORBIDDEN},
		"link-404-other-director":   {w.asDirB, w.resA1.ID, surveys.ENOTFOUND},
		"link-404-missing-operator": {accounts.Operator(), 9999, surveys.ENOTFOUND},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := w.svc.IssuePasswordLink(w.ctx, tc.actor, accounts.PasswordLinkRequest{UserID: tc.id})
			wantCode(t, err, tc.code)
		})
	}
	if n := w.auditCount(); n != before {
		t.Errorf("refused links wrote %d audit entries", n-before)
	}
}
