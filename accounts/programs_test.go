package accounts_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestCreateProgram(t *testing.T) {
	tooLow := strconv.Itoa(models.MinMinResponses)
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		in         accounts.NewProgram
		wantCode   string
		wantFields map[string]string
		wantMin    int
	}{
		{name: "create-admin-default-threshold", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: accounts.NewProgram{Name: "Pediatrics"}, wantMin: models.DefaultMinResponses},
		{name: "create-operator", actor: func(*world) accounts.Actor { return accounts.Operator() },
			in: accounts.NewProgram{Name: "Pediatrics", MinResponses: ptr(8)}, wantMin: 8},
		{name: "create-422-name-missing", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: accounts.NewProgram{}, wantCode: surveys.EINVALID, wantFields: map[string]string{"name": "is required"}},
		{name: "create-422-threshold-below-floor", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in:       accounts.NewProgram{Name: "P", MinResponses: ptr(models.MinMinResponses - 1)},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"min_responses": "must be at least " + tooLow}},
		{name: "create-422-threshold-zero-is-not-default", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in:       accounts.NewProgram{Name: "P", MinResponses: ptr(0)},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"min_responses": "must be at least " + tooLow}},
		{name: "create-422-name-too-long", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in:       accounts.NewProgram{Name: string(make([]byte, 201))},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"name": "must have at most 200 characters"}},
		{name: "create-409-name-taken", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: accounts.NewProgram{Name: "medicine"}, wantCode: surveys.ECONFLICT},
		{name: "create-403-director", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: accounts.NewProgram{Name: "Pediatrics"}, wantCode: surveys.EFORBIDDEN},
		{name: "create-403-resident-invalid-body", actor: func(w *world) accounts.Actor { return w.asResA1 },
			in: accounts.NewProgram{}, wantCode: surveys.EFORBIDDEN},
		{name: "create-401-nobody", actor: func(*world) accounts.Actor { return accounts.Actor{} },
			in: accounts.NewProgram{Name: "Pediatrics"}, wantCode: surveys.EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			before := w.auditCount()
			a := tt.actor(w)
			prog, err := w.svc.CreateProgram(w.ctx, a, tt.in)
			if tt.wantCode != "" {
				if tt.wantFields != nil {
					wantFields(t, err, tt.wantFields)
				}
				wantCode(t, err, tt.wantCode)
				if n := w.auditCount(); n != before {
					t.Errorf("a rejected create wrote %d audit entries", n-before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if prog.MinResponses != tt.wantMin {
				t.Errorf("min_responses %d, want %d", prog.MinResponses, tt.wantMin)
			}
			if _, err := w.db.ProgramByID(w.ctx, prog.ID); err != nil {
				t.Errorf("program not stored: %v", err)
			}
			es := w.audit(models.ActionProgramCreate)
			if len(es) != 1 || es[0].ProgramID == nil || *es[0].ProgramID != prog.ID || es[0].Target != "program:"+itoa(prog.ID) {
				t.Fatalf("audit entries %+v, want one for program %d", es, prog.ID)
			}
			wantActor(t, es[0], a)
		})
	}
}

func TestUpdateProgram(t *testing.T) {
	tests := []struct {
		name       string
		actor      func(w *world) accounts.Actor
		in         func(w *world) accounts.ProgramChanges
		wantCode   string
		wantFields map[string]string
	}{
		{name: "update-admin-threshold-and-delivery", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, MinResponses: ptr(7), ReminderAfterDays: ptr(5), MaxReminders: ptr(0), LinkLifetimeDays: ptr(30)}
			}},
		{name: "update-operator-name", actor: func(*world) accounts.Actor { return accounts.Operator() },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, Name: ptr("Internal Medicine")}
			}},
		{name: "update-403-own-director", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, MinResponses: ptr(3)}
			},
			wantCode: surveys.EFORBIDDEN},
		{name: "update-404-other-director", actor: func(w *world) accounts.Actor { return w.asDirB },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, MinResponses: ptr(3)}
			},
			wantCode: surveys.ENOTFOUND},
		{name: "update-404-missing", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in:       func(w *world) accounts.ProgramChanges { return accounts.ProgramChanges{ID: 9999, MinResponses: ptr(3)} },
			wantCode: surveys.ENOTFOUND},
		{name: "update-422-delivery-bounds", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, ReminderAfterDays: ptr(accounts.MaxReminderAfterDays + 1),
					MaxReminders: ptr(accounts.MaxMaxReminders + 1), LinkLifetimeDays: ptr(accounts.MinLinkLifetimeDays - 1)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{
				"reminder_after_days": "must be at most " + strconv.Itoa(accounts.MaxReminderAfterDays),
				"max_reminders":       "must be at most " + strconv.Itoa(accounts.MaxMaxReminders),
				"link_lifetime_days":  "must be at least " + strconv.Itoa(accounts.MinLinkLifetimeDays),
			}},
		{name: "update-admin-release-rule", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, ReleaseWindow: ptr("half"), AcademicYearStartMonth: ptr(9), MinMentees: ptr(4)}
			}},
		{name: "update-403-own-director-release-rule", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, MinMentees: ptr(3)}
			},
			wantCode: surveys.EFORBIDDEN},
		{name: "update-422-release-rule-bounds", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, ReleaseWindow: ptr("week"), AcademicYearStartMonth: ptr(0), MinMentees: ptr(2)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{
				"release_window":            "must be one of: month, quarter, half",
				"academic_year_start_month": "must be at least 1",
				"min_mentees":               "must be at least 3",
			}},
		{name: "update-admin-retention", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, RetentionYears: ptr(3)}
			}},
		{name: "update-403-own-director-retention", actor: func(w *world) accounts.Actor { return w.asDirA },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, RetentionYears: ptr(3)}
			},
			wantCode: surveys.EFORBIDDEN},
		{name: "update-422-retention-zero", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, RetentionYears: ptr(0)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"retention_years": "must be at least 1"}},
		{name: "update-422-retention-too-long", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, RetentionYears: ptr(101)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"retention_years": "must be at most 100"}},
		{name: "update-422-threshold-below-floor", actor: func(w *world) accounts.Actor { return w.asAdmin },
			in: func(w *world) accounts.ProgramChanges {
				return accounts.ProgramChanges{ID: w.progA.ID, MinResponses: ptr(models.MinMinResponses - 1)}
			},
			wantCode: surveys.EINVALID, wantFields: map[string]string{"min_responses": "must be at least " + strconv.Itoa(models.MinMinResponses)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			before := w.auditCount()
			a, in := tt.actor(w), tt.in(w)
			prog, err := w.svc.UpdateProgram(w.ctx, a, in)
			if tt.wantCode != "" {
				if tt.wantFields != nil {
					wantFields(t, err, tt.wantFields)
				}
				wantCode(t, err, tt.wantCode)
				if n := w.auditCount(); n != before {
					t.Errorf("a rejected update wrote %d audit entries", n-before)
				}
				if got, _ := w.db.ProgramByID(w.ctx, w.progA.ID); got.Name != w.progA.Name || got.MinResponses != w.progA.MinResponses || got.DeliverySettings != w.progA.DeliverySettings || got.WindowSettings != w.progA.WindowSettings || got.RetentionYears != w.progA.RetentionYears {
					t.Errorf("a rejected update changed the program: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			stored, err := w.db.ProgramByID(w.ctx, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *stored != *prog {
				t.Errorf("returned %+v, stored %+v", prog, stored)
			}
			if in.MaxReminders != nil && (stored.MaxReminders != 0 || stored.ReminderAfterDays != 5 || stored.LinkLifetimeDays != 30 || stored.MinResponses != 7) {
				t.Errorf("stored %+v, want the new threshold and delivery settings", stored)
			}
			if in.MinMentees != nil && stored.WindowSettings != (models.WindowSettings{ReleaseWindow: "half", AcademicYearStartMonth: 9, MinMentees: 4}) {
				t.Errorf("stored %+v, want the new release rule", stored.WindowSettings)
			}
			if in.RetentionYears != nil && (stored.RetentionYears != 3 || !strings.Contains(w.audit(models.ActionProgramUpdate)[0].Detail, "retention_years 3")) {
				t.Errorf("stored retention %d, want 3 and audited", stored.RetentionYears)
			}
			if in.RetentionYears == nil && stored.RetentionYears != models.DefaultRetentionYears {
				t.Errorf("an update without retention_years changed it to %d", stored.RetentionYears)
			}
			es := w.audit(models.ActionProgramUpdate)
			if len(es) != 1 || *es[0].ProgramID != in.ID {
				t.Fatalf("audit entries %+v, want one", es)
			}
			wantActor(t, es[0], a)
		})
	}
}

// TestChangeAndAuditCommitTogether: when the audit entry cannot be written,
// the change it records is not kept either.
func TestChangeAndAuditCommitTogether(t *testing.T) {
	w := newWorld(t)
	w.failAudits()
	if _, err := w.svc.CreateProgram(w.ctx, accounts.Operator(), accounts.NewProgram{Name: "Pediatrics"}); !auditFailed(err) {
		t.Fatal("create succeeded without its audit entry: ", err)
	}
	if _, err := w.db.ProgramByName(w.ctx, "Pediatrics"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("program kept without its audit entry: %v", err)
	}
	if _, err := w.svc.AddMember(w.ctx, w.asDirA, accounts.NewMember{ProgramID: w.progA.ID, Email: "new@example.org", Name: "New", Role: models.RoleDirector}); !auditFailed(err) {
		t.Fatal("add member succeeded without its audit entry: ", err)
	}
	if _, err := w.db.UserByEmail(w.ctx, "new@example.org"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("member kept without its audit entry: %v", err)
	}
	if _, err := w.svc.UpdateUser(w.ctx, w.asDirA, accounts.UserChanges{ID: w.resA1.ID, Active: ptr(false)}); !auditFailed(err) {
		t.Fatal("deactivation succeeded without its audit entry: ", err)
	}
	if u, _ := w.db.UserByID(w.ctx, w.resA1.ID); !u.Active {
		t.Error("deactivation kept without its audit entry")
	}
	if _, err := w.svc.AddMentee(w.ctx, w.asDirA, accounts.NewMentee{ProgramID: w.progA.ID, Email: "sam@student.example"}); !auditFailed(err) {
		t.Fatal("mentee added without its audit entry: ", err)
	}
	if ms, _ := w.db.Mentees(w.ctx, w.progA.ID); len(ms) != 0 {
		t.Errorf("%d mentees kept without their audit entry", len(ms))
	}
	w.mentee(w.progA, "kim@student.example", models.MenteeActive)
	if _, err := w.svc.CreateInvitation(w.ctx, accounts.Operator(), accounts.NewInvitation{ResidentID: &w.resA1.ID, MenteeEmail: "kim@student.example"}); !auditFailed(err) {
		t.Fatal("link made without its audit entry: ", err)
	}
	if invs, _ := w.db.ListInvitations(w.ctx, models.InvitationFilter{ResidentID: w.resA1.ID}); len(invs) != 0 {
		t.Errorf("%d links kept without their audit entry", len(invs))
	}
}

// auditFailed reports whether err is the refused audit write.
func auditFailed(err error) bool { return err != nil && strings.Contains(err.Error(), "audit refused") }
