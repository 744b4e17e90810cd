package accounts

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The roster's rules. A program's directors and admins keep its mentees;
// residents never do (forbidden in their own program, not_found in
// another). An address a director adds outside the program's mentee domains
// waits for an admin's approval (pending_approval) before any link can go
// to it: a director cannot plant mentees of their own. Admins and the
// operator are the deployment's root of trust: what they add is active at
// once. Audit entries name mentees by id only.

// AuditBy is the actor as the audit entries written by delivery name it.
func (a Actor) AuditBy() models.AuditBy {
	if a.user != nil {
		return models.AuditBy{UserID: &a.user.ID}
	}
	return models.AuditBy{Operator: a.operator}
}

// NewMentee is an address to add to a program's roster. ProgramID is taken
// from the path, never from the body.
type NewMentee struct {
	ProgramID int64   `json:"-"`
	Email     string  `json:"email" validate:"required,max=254,text"`
	Name      *string `json:"name" validate:"omitempty,max=200,text"`
}

// AddMentee adds a mentee to a program the actor manages: active when an
// admin or the operator adds it or the address is in the program's mentee
// domains, pending_approval otherwise. A staff account's address, or one
// already on the roster, is a conflict.
func (s *Service) AddMentee(ctx context.Context, a Actor, in NewMentee) (*models.Mentee, error) {
	prog, err := s.Program(ctx, a, in.ProgramID, Manage)
	if err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	email, err := models.NormalizeEmail(in.Email)
	if err != nil {
		return nil, surveys.Invalid(msgInvalid, []surveys.FieldError{{Field: "email", Message: models.MsgBadEmail}})
	}
	m := &models.Mentee{ProgramID: prog.ID, Email: email, Name: in.Name, Status: s.addedStatus(a, prog, email), AddedBy: a.userID()}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.CreateMentee(ctx, m); err != nil {
			return err
		}
		return s.audit(ctx, a, menteeEntry(models.ActionMenteeCreate, m, "status "+m.Status))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// addedStatus is the status of an address the actor puts on the roster.
func (s *Service) addedStatus(a Actor, prog *models.Program, email string) string {
	if a.Admin() || prog.InMenteeDomains(email) {
		return models.MenteeActive
	}
	return models.MenteePending
}

// userID is the signed-in user's id, nil for the operator.
func (a Actor) userID() *int64 {
	if a.user == nil {
		return nil
	}
	return &a.user.ID
}

func menteeEntry(action string, m *models.Mentee, detail string) models.AuditEntry {
	return models.AuditEntry{Action: action, Target: models.MenteeTarget(m.ID), ProgramID: &m.ProgramID, Detail: detail}
}

// ListMentees lists the roster of a program the actor manages.
func (s *Service) ListMentees(ctx context.Context, a Actor, programID int64) ([]models.Mentee, error) {
	if _, err := s.Program(ctx, a, programID, Manage); err != nil {
		return nil, err
	}
	return s.db.Mentees(ctx, programID)
}

// Mentee loads a mentee of a program the actor manages, with its program.
// A mentee of a program the actor does not belong to is not_found, exactly
// like an unknown id; a resident of its program is forbidden.
func (s *Service) Mentee(ctx context.Context, a Actor, id int64) (*models.Mentee, *models.Program, error) {
	if !a.known() {
		return nil, nil, errSignIn()
	}
	notFound := surveys.Errorf(surveys.ENOTFOUND, "mentee %d does not exist", id)
	m, err := s.db.MenteeByID(ctx, id)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	prog, err := s.Program(ctx, a, m.ProgramID, Manage)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, nil, notFound
	}
	if err != nil {
		return nil, nil, err
	}
	return m, prog, nil
}

// MenteeChanges changes a mentee's name or active flag; nil fields are
// left alone, an empty name clears it. ID is taken from the path.
type MenteeChanges struct {
	ID     int64   `json:"-"`
	Name   *string `json:"name" validate:"omitempty,max=200,text"`
	Active *bool   `json:"active"`
}

// UpdateMentee renames, deactivates or reactivates a mentee. Deactivating
// makes any status inactive. Reactivating is the same decision as adding:
// active for an admin or a domain address, pending_approval when a director
// reactivates another address, so deactivating and reactivating cannot skip
// the approval.
func (s *Service) UpdateMentee(ctx context.Context, a Actor, in MenteeChanges) (*models.Mentee, error) {
	m, prog, err := s.Mentee(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	up := models.MenteeUpdate{Name: in.Name}
	switch {
	case in.Active == nil:
	case !*in.Active && m.Status != models.MenteeInactive:
		up.Status = new(models.MenteeInactive)
	case *in.Active && m.Status == models.MenteeInactive:
		up.Status = new(s.addedStatus(a, prog, m.Email))
	case *in.Active && m.Status == models.MenteePending && a.Admin():
		up.Status = new(models.MenteeActive)
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if m, err = s.db.UpdateMentee(ctx, in.ID, up); err != nil {
			return err
		}
		detail := "status " + m.Status
		if in.Name != nil {
			detail += ", name changed"
		}
		return s.audit(ctx, a, menteeEntry(models.ActionMenteeUpdate, m, detail))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ApproveMentee makes a pending mentee active. Only an admin (or the
// operator) who did not add it may: a director, or whoever added it, is
// forbidden; a mentee that is not pending is a conflict.
func (s *Service) ApproveMentee(ctx context.Context, a Actor, id int64) (*models.Mentee, error) {
	m, _, err := s.Mentee(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !a.Admin() || m.AddedBy != nil && a.is(*m.AddedBy) {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only an administrator who did not add this mentee may approve them")
	}
	if m.Status != models.MenteePending {
		return nil, surveys.Errorf(surveys.ECONFLICT, "this mentee is %s, not waiting for approval", m.Status)
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if m, err = s.db.UpdateMentee(ctx, id, models.MenteeUpdate{Status: new(models.MenteeActive)}); err != nil {
			return err
		}
		detail := "approved"
		if m.AddedBy != nil {
			detail += fmt.Sprintf(", added by user %d", *m.AddedBy)
		}
		return s.audit(ctx, a, menteeEntry(models.ActionMenteeApprove, m, detail))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// MenteeImport is a CSV of mentees (email,name) for a program.
type MenteeImport struct {
	ProgramID int64
	CSV       io.Reader
}

// ImportMentees applies a CSV of mentees to a program the actor manages,
// by the members import's rules: a new address is added (with AddMentee's
// status rule), one already on the roster gets its name updated, a staff
// account's address or an invalid row is reported against its line. Each
// applied row commits alone with its audit entry; the import itself is
// audited last with its counts.
func (s *Service) ImportMentees(ctx context.Context, a Actor, in MenteeImport) (*models.ImportResult, error) {
	prog, err := s.Program(ctx, a, in.ProgramID, Manage)
	if err != nil {
		return nil, err
	}
	if in.CSV == nil {
		return nil, errors.New("import mentees: no CSV")
	}
	status := func(email string) string { return s.addedStatus(a, prog, email) }
	res, err := s.db.ImportMentees(ctx, prog.ID, in.CSV, status, a.userID(), func(ctx context.Context, m *models.Mentee, created bool) error {
		action := models.ActionMenteeUpdate
		if created {
			action = models.ActionMenteeCreate
		}
		return s.audit(ctx, a, menteeEntry(action, m, "import: status "+m.Status))
	})
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionMenteeImport, Target: programTarget(prog.ID), ProgramID: &prog.ID,
			Detail: fmt.Sprintf("created %d, updated %d, rows not applied %d", res.Created, res.Updated, len(res.Errors))})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
