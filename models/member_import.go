package models

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

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

// MaxImportRows bounds one CSV import.
const MaxImportRows = 5000

// ImportResult is what an import did. Errors name the CSV line of each row
// that was not applied.
type ImportResult struct {
	Created int
	Updated int
	Errors  []ImportError
}

// ImportError is one row that was not applied.
type ImportError struct {
	Line    int
	Message string
}

// ImportHook runs inside each applied row's transaction, e.g. to audit it.
type ImportHook func(ctx context.Context, u *User, created bool) error

var importColumns = []string{"email", "name", "role", "pgy_year"}

// ImportMembers reads CSV rows email,name,role,pgy_year into a program. The
// header row is optional: a first row whose first cell is "email" names the
// columns (in any order; email and name required). An empty role means
// resident. A new email creates a member; an email already in the program
// updates its name and PGY year; an email of an account outside the program,
// a role change or any invalid value is reported against its line. Each row
// commits alone, so valid rows are applied and none is half-written.
func (d *DB) ImportMembers(ctx context.Context, programID int64, r io.Reader, hook ImportHook) (*ImportResult, error) {
	if _, err := d.ProgramByID(ctx, programID); err != nil {
		return nil, err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	res := &ImportResult{Errors: []ImportError{}}
	cols := map[string]int{"email": 0, "name": 1, "role": 2, "pgy_year": 3}
	width := len(importColumns)
	seen := map[string]int{}
	first, rows := true, 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			res.Errors = append(res.Errors, ImportError{pe.StartLine, "this line is not valid CSV: " + pe.Err.Error()})
			first = false
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			first = false
			if strings.EqualFold(strings.TrimSpace(rec[0]), "email") {
				if cols, err = headerColumns(rec); err != nil {
					return nil, err
				}
				width = len(rec)
				continue
			}
		}
		if rows++; rows > MaxImportRows {
			return nil, surveys.Errorf(surveys.EINVALID, "a CSV import can have at most %d rows; split the file", MaxImportRows)
		}
		m, err := parseMemberRow(rec, cols, width)
		if err == nil {
			if prev, dup := seen[m.Email]; dup {
				err = rowError{fmt.Sprintf("%s already appears on line %d", m.Email, prev)}
			} else {
				seen[m.Email] = line
			}
		}
		if err == nil {
			err = d.importRow(ctx, programID, m, res, hook)
		}
		if err != nil {
			if surveys.ErrorCode(err) == surveys.EINTERNAL && !isRowError(err) {
				return nil, fmt.Errorf("import line %d: %w", line, err)
			}
			res.Errors = append(res.Errors, ImportError{line, rowMessage(err)})
		}
	}
	return res, nil
}

// rowError is a problem with one row's values.
type rowError struct{ msg string }

func (e rowError) Error() string { return e.msg }

func isRowError(err error) bool {
	var re rowError
	return errors.As(err, &re)
}

func rowMessage(err error) string {
	var ae *surveys.Error
	if errors.As(err, &ae) {
		if len(ae.Fields) > 0 {
			return ae.Fields[0].Field + ": " + ae.Fields[0].Message
		}
		return ae.Message
	}
	return err.Error()
}

func headerColumns(rec []string) (map[string]int, error) {
	cols := map[string]int{}
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "pgy" {
			h = "pgy_year"
		}
		known := false
		for _, c := range importColumns {
			known = known || c == h
		}
		if !known {
			return nil, surveys.Errorf(surveys.EINVALID, "line 1: unknown column %q; the columns are %s", h, strings.Join(importColumns, ","))
		}
		if _, dup := cols[h]; dup {
			return nil, surveys.Errorf(surveys.EINVALID, "line 1: column %q appears twice", h)
		}
		cols[h] = i
	}
	if _, ok := cols["name"]; !ok {
		return nil, surveys.Errorf(surveys.EINVALID, "line 1: the header needs a name column; the columns are %s", strings.Join(importColumns, ","))
	}
	return cols, nil
}

func parseMemberRow(rec []string, cols map[string]int, width int) (NewMember, error) {
	get := func(col string) string {
		if i, ok := cols[col]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	if len(rec) > width {
		return NewMember{}, rowError{fmt.Sprintf("expected at most %d columns, found %d", width, len(rec))}
	}
	email, err := NormalizeEmail(get("email"))
	if err != nil {
		return NewMember{}, rowError{fmt.Sprintf("email: %q is not an email address", get("email"))}
	}
	m := NewMember{Email: email, Name: get("name"), Role: strings.ToLower(get("role"))}
	if m.Name == "" {
		return m, rowError{"name: a name is required"}
	}
	if m.Role == "" {
		m.Role = RoleResident
	}
	if p := get("pgy_year"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 7 {
			return m, rowError{fmt.Sprintf("pgy_year: %q is not a PGY year from 1 to 7", p)}
		}
		m.PGYYear = &n
	}
	if err := checkMember(m); err != nil {
		return m, rowError{rowMessage(err)}
	}
	return m, nil
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
			return rowError{m.Email + " belongs to an account outside this program"}
		}
		if u.Role != m.Role {
			return rowError{fmt.Sprintf("%s is a %s; an import does not change roles", m.Email, u.Role)}
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
