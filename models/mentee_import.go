package models

import (
	"context"
	"io"

	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// MenteeImportHook runs inside each applied row's transaction, e.g. to
// audit it.
type MenteeImportHook func(ctx context.Context, m *Mentee, created bool) error

var menteeColumns = csvimport.Columns{
	Names:    []string{"email", "name"},
	Required: []string{"email"},
}

type menteeRow struct {
	email string
	name  *string
}

// ImportMentees reads CSV rows email,name into a program's roster under
// csvimport's limits, like ImportMembers: a header row is optional, each row
// commits alone, and a row that cannot be applied is reported against its
// line. A new address is added with status(email) and addedBy; an address
// already on this roster gets the row's name (an empty name leaves it
// alone); a staff account's address is a conflict.
func (d *DB) ImportMentees(ctx context.Context, programID int64, r io.Reader, status func(email string) string, addedBy *int64, hook MenteeImportHook) (*ImportResult, error) {
	if _, err := d.ProgramByID(ctx, programID); err != nil {
		return nil, err
	}
	res := &ImportResult{}
	seen := map[string]int{}
	parse := func(row csvimport.Row) (menteeRow, error) {
		email, err := NormalizeEmail(row.Get("email"))
		if err != nil {
			return menteeRow{}, surveys.Errorf(surveys.EINVALID, "email %q is not an email address", row.Get("email"))
		}
		if prev, dup := seen[email]; dup {
			return menteeRow{}, surveys.Errorf(surveys.EINVALID, "%s already appears on line %d", email, prev)
		}
		seen[email] = row.Line
		mr := menteeRow{email: email}
		if name := row.Get("name"); name != "" {
			if err := surveys.CheckText(name, false); err != nil {
				return mr, surveys.Errorf(surveys.EINVALID, "the name %s", err.Error())
			}
			if len([]rune(name)) > 200 {
				return mr, surveys.Errorf(surveys.EINVALID, "the name must have at most 200 characters")
			}
			mr.name = &name
		}
		return mr, nil
	}
	apply := func(ctx context.Context, mr menteeRow) error {
		created, updated := false, false
		err := d.WithTx(ctx, func(ctx context.Context) error {
			created, updated = false, false
			m, err := d.MenteeByEmail(ctx, programID, mr.email)
			if surveys.ErrorCode(err) == surveys.ENOTFOUND {
				m = &Mentee{ProgramID: programID, Email: mr.email, Name: mr.name, Status: status(mr.email), AddedBy: addedBy}
				if err := d.CreateMentee(ctx, m); err != nil {
					return err
				}
				created = true
				return menteeHook(ctx, hook, m, true)
			}
			if err != nil {
				return err
			}
			if mr.name == nil || m.Name != nil && *m.Name == *mr.name {
				return nil
			}
			if m, err = d.UpdateMentee(ctx, m.ID, MenteeUpdate{Name: mr.name}); err != nil {
				return err
			}
			updated = true
			return menteeHook(ctx, hook, m, false)
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
	read, err := csvimport.Import(ctx, r, menteeColumns, parse, apply, nil)
	if err != nil {
		return nil, err
	}
	res.Errors = read.Errors
	return res, nil
}

func menteeHook(ctx context.Context, hook MenteeImportHook, m *Mentee, created bool) error {
	if hook == nil {
		return nil
	}
	return hook(ctx, m, created)
}
