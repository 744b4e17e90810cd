package models

import (
	"context"
	"fmt"
	"strings"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// ProgramDirector links a director to one of the programs they lead.
type ProgramDirector struct {
	ProgramID int64 `gorm:"primaryKey"`
	UserID    int64 `gorm:"primaryKey"`
}

// AddDirector makes a user a director of a program; adding twice is not an
// error.
func (d *DB) AddDirector(ctx context.Context, programID, userID int64) error {
	var n int64
	if err := d.db(ctx).Model(&ProgramDirector{}).Where("program_id = ? AND user_id = ?", programID, userID).Count(&n).Error; err != nil {
		return fmt.Errorf("find director: %w", err)
	}
	if n > 0 {
		return nil
	}
	if err := d.db(ctx).Create(&ProgramDirector{ProgramID: programID, UserID: userID}).Error; err != nil {
		return fmt.Errorf("add director: %w", err)
	}
	return nil
}

// DirectedPrograms returns the ids of the programs a user directs, in order.
func (d *DB) DirectedPrograms(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := d.db(ctx).Model(&ProgramDirector{}).Where("user_id = ?", userID).Order("program_id").Pluck("program_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("list directed programs: %w", err)
	}
	return ids, nil
}

// Members lists a program's residents and directors (including directors
// whose primary program is another), directors first, then by name.
func (d *DB) Members(ctx context.Context, programID int64) ([]User, error) {
	var us []User
	err := d.db(ctx).
		Where("program_id = ? OR id IN (SELECT user_id FROM program_directors WHERE program_id = ?)", programID, programID).
		Order("CASE WHEN role = 'director' THEN 0 ELSE 1 END, lower(name), id").
		Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return us, nil
}

// UserPrograms returns the programs a user belongs to: a resident's one
// program, a director's programs, none for an admin.
func (d *DB) UserPrograms(ctx context.Context, u *User) ([]int64, error) {
	if u.Role == RoleDirector {
		ids, err := d.DirectedPrograms(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		if u.ProgramID != nil && !containsID(ids, *u.ProgramID) {
			ids = append(ids, *u.ProgramID)
		}
		return ids, nil
	}
	if u.ProgramID != nil && u.Role == RoleResident {
		return []int64{*u.ProgramID}, nil
	}
	return nil, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// UserUpdate holds the fields PATCH may change; nil leaves a field alone.
type UserUpdate struct {
	Name    *string
	PGYYear *int
	Active  *bool
}

// UpdateUser changes a user's name, PGY year or active flag. Deactivation
// ends the user's sessions and revokes their API tokens in the same
// transaction; responses about them are kept.
func (d *DB) UpdateUser(ctx context.Context, id int64, up UserUpdate) (*User, error) {
	var out *User
	err := d.WithTx(ctx, func(ctx context.Context) error {
		u, err := d.UserByID(ctx, id)
		if err != nil {
			return err
		}
		changes := map[string]any{}
		var fields []surveys.FieldError
		if up.Name != nil {
			name, fe := cleanName(*up.Name)
			fields = append(fields, fe...)
			u.Name, changes["name"] = name, name
		}
		if up.PGYYear != nil {
			if *up.PGYYear < 1 || *up.PGYYear > 7 {
				fields = append(fields, surveys.FieldError{Field: "pgy_year", Message: "PGY year must be from 1 to 7"})
			} else if u.Role != RoleResident {
				fields = append(fields, surveys.FieldError{Field: "pgy_year", Message: "only residents have a PGY year"})
			}
			u.PGYYear, changes["pgy_year"] = up.PGYYear, *up.PGYYear
		}
		if up.Active != nil {
			u.Active, changes["active"] = *up.Active, *up.Active
		}
		if len(fields) > 0 {
			return surveys.Invalid("the update is not valid", fields)
		}
		if len(changes) == 0 {
			out = u
			return nil
		}
		u.UpdatedAt = d.now()
		changes["updated_at"] = u.UpdatedAt
		if err := d.db(ctx).Model(&User{}).Where("id = ?", id).Updates(changes).Error; err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if up.Active != nil && !*up.Active {
			if err := d.DeleteUserSessions(ctx, id); err != nil {
				return err
			}
			if err := d.RevokeUserAPITokens(ctx, id); err != nil {
				return err
			}
		}
		out = u
		return nil
	})
	return out, err
}

// ProgramUpdate holds the fields PATCH may change; nil leaves a field alone.
type ProgramUpdate struct {
	Name         *string
	MinResponses *int
}

// UpdateProgram renames a program or changes its report threshold, which may
// never go below MinMinResponses.
func (d *DB) UpdateProgram(ctx context.Context, id int64, up ProgramUpdate) (*Program, error) {
	p, err := d.ProgramByID(ctx, id)
	if err != nil {
		return nil, err
	}
	changes := map[string]any{}
	var fields []surveys.FieldError
	if up.Name != nil {
		name, fe := cleanName(*up.Name)
		fields = append(fields, fe...)
		p.Name, changes["name"] = name, name
	}
	if up.MinResponses != nil {
		if *up.MinResponses < MinMinResponses {
			fields = append(fields, surveys.FieldError{Field: "min_responses", Message: fmt.Sprintf("must be at least %d, so no one can single out a mentee", MinMinResponses)})
		}
		p.MinResponses, changes["min_responses"] = *up.MinResponses, *up.MinResponses
	}
	if len(fields) > 0 {
		return nil, surveys.Invalid("the update is not valid", fields)
	}
	if len(changes) == 0 {
		return p, nil
	}
	if err := d.db(ctx).Model(&Program{}).Where("id = ?", id).Updates(changes).Error; err != nil {
		if isUniqueViolation(err) {
			return nil, surveys.Errorf(surveys.ECONFLICT, "a program named %q already exists", p.Name)
		}
		return nil, fmt.Errorf("update program: %w", err)
	}
	return p, nil
}

// cleanName trims a new user or program name and checks its length.
func cleanName(raw string) (string, []surveys.FieldError) {
	name := strings.TrimSpace(raw)
	if name == "" || len([]rune(name)) > 200 {
		return name, []surveys.FieldError{{Field: "name", Message: "a name of 1 to 200 characters is required"}}
	}
	return name, nil
}
