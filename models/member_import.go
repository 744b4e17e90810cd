package models

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// NewMember is a resident or director to add to a program.
type NewMember struct {
	Email   string
	Name    string
	Role    string
	PGYYear *int
}

// CreateMember adds a resident (who needs a PGY year) or a director (who has
// none) to a program. An email already in use, ignoring case, is a conflict.
func (d *DB) CreateMember(ctx context.Context, programID int64, m NewMember) (*User, error) {
	if err := checkMember(m); err != nil {
		return nil, err
	}
	if _, err := d.ProgramByID(ctx, programID); err != nil {
		return nil, err
	}
	u := &User{Email: m.Email, Name: m.Name, Role: m.Role, ProgramID: &programID, PGYYear: m.PGYYear}
	if err := d.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

func checkMember(m NewMember) error {
	switch {
	case m.Role != RoleResident && m.Role != RoleDirector:
		return surveys.Invalid("the member is not valid", []surveys.FieldError{{Field: "role", Message: "must be one of: resident, director"}})
	case m.Role == RoleResident && m.PGYYear == nil:
		return surveys.Invalid("the member is not valid", []surveys.FieldError{{Field: "pgy_year", Message: "a resident needs a PGY year from 1 to 7"}})
	case m.Role == RoleDirector && m.PGYYear != nil:
		return surveys.Invalid("the member is not valid", []surveys.FieldError{{Field: "pgy_year", Message: "only residents have a PGY year"}})
	}
	return nil
}

// ImportResult is what an import did. Errors name the CSV line of each row
// that was not applied.
type ImportResult struct {
	Created int
	Updated int
	Errors  []csvimport.Error
}

// ImportHook runs inside each applied row's transaction, e.g. to audit it.
type ImportHook func(ctx context.Context, u *User, created bool) error

var memberColumns = csvimport.Columns{
	Names:    []string{"email", "name", "role", "pgy_year"},
	Required: []string{"email", "name"},
	Aliases:  map[string]string{"pgy": "pgy_year"},
}

// ImportMembers reads CSV rows email,name,role,pgy_year into a program, under
// csvimport's limits: a file over them is refused whole, with nothing
// written. The header row is optional: a first row whose first cell names a
// column names the columns (in any order; email and name required). An
// empty role means resident. A new email creates a member; an email already
// in the program updates its name and PGY year; an email of an account
// outside the program, a role change or any invalid value is reported
// against its line. Each row commits alone, so valid rows are applied and
// none is half-written.
func (d *DB) ImportMembers(ctx context.Context, programID int64, r io.Reader, hook ImportHook) (*ImportResult, error) {
	if _, err := d.ProgramByID(ctx, programID); err != nil {
		return nil, err
	}
	res := &ImportResult{}
	seen := map[string]int{}
	parse := func(row csvimport.Row) (NewMember, error) {
		m, err := parseMemberRow(row)
		if err != nil {
			return m, err
		}
		if prev, dup := seen[m.Email]; dup {
			return m, surveys.Errorf(surveys.EINVALID, "%s already appears on line %d", m.Email, prev)
		}
		seen[m.Email] = row.Line
		return m, nil
	}
	apply := func(ctx context.Context, m NewMember) error {
		return d.importRow(ctx, programID, m, res, hook)
	}
	read, err := csvimport.Import(ctx, r, memberColumns, parse, apply, nil)
	if err != nil {
		return nil, err
	}
	res.Errors = read.Errors
	return res, nil
}

func parseMemberRow(row csvimport.Row) (NewMember, error) {
	email, err := NormalizeEmail(row.Get("email"))
	if err != nil {
		return NewMember{}, surveys.Errorf(surveys.EINVALID, "email %q is not an email address", row.Get("email"))
	}
	m := NewMember{Email: email, Name: row.Get("name"), Role: strings.ToLower(row.Get("role"))}
	if m.Name == "" {
		return m, surveys.Invalid("the member is not valid", []surveys.FieldError{{Field: "name", Message: "is required"}})
	}
	if m.Role == "" {
		m.Role = RoleResident
	}
	if p := row.Get("pgy_year"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 7 {
			return m, surveys.Invalid("the member is not valid", []surveys.FieldError{{Field: "pgy_year", Message: fmt.Sprintf("must be a PGY year from 1 to 7, not %q", p)}})
		}
		m.PGYYear = &n
	}
	return m, checkMember(m)
}

// importRow applies one row in its own transaction.
func (d *DB) importRow(ctx context.Context, programID int64, m NewMember, res *ImportResult, hook ImportHook) error {
	created, updated := false, false
	err := d.WithTx(ctx, func(ctx context.Context) error {
		created, updated = false, false
		u, err := d.UserByEmail(ctx, m.Email)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			if u, err = d.CreateMember(ctx, programID, m); err != nil {
				return err
			}
			created = true
			return hookOrNil(ctx, hook, u, true)
		}
		if err != nil {
			return err
		}
		programs, err := d.UserPrograms(ctx, u)
		if err != nil {
			return err
		}
		if !containsID(programs, programID) {
			return surveys.Errorf(surveys.ECONFLICT, "%s belongs to an account outside this program", m.Email)
		}
		if u.Role != m.Role {
			return surveys.Errorf(surveys.EINVALID, "%s is a %s; an import does not change roles", m.Email, u.Role)
		}
		up := UserUpdate{}
		if u.Name != m.Name {
			up.Name = &m.Name
		}
		if m.PGYYear != nil && (u.PGYYear == nil || *u.PGYYear != *m.PGYYear) {
			up.PGYYear = m.PGYYear
		}
		if up.Name == nil && up.PGYYear == nil {
			return nil
		}
		if u, err = d.UpdateUser(ctx, u.ID, up); err != nil {
			return err
		}
		updated = true
		return hookOrNil(ctx, hook, u, false)
	})
	if err != nil {
		return err
	}
	if created {
		res.Created++
	}
	if updated {
		res.Updated++
	}
	return nil
}

func hookOrNil(ctx context.Context, hook ImportHook, u *User, created bool) error {
	if hook == nil {
		return nil
	}
	return hook(ctx, u, created)
}
