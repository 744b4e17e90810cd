package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Values of programs.require_second_factor_for.
const (
	SecondFactorNone      = "none"      // nobody must have one
	SecondFactorDirectors = "directors" // the program's directors (and every admin)
	SecondFactorStaff     = "staff"     // its directors and residents (and every admin)
)

// ValidSecondFactorPolicy reports whether s is a value the setting takes.
func ValidSecondFactorPolicy(s string) bool {
	return s == SecondFactorNone || s == SecondFactorDirectors || s == SecondFactorStaff
}

// SecondFactorRequired reports whether a program's setting covers the user:
// a resident when their program says staff; a director when any program
// they direct says directors or staff; an admin, who can act in every
// program, when any program asks it of anyone.
func (d *DB) SecondFactorRequired(ctx context.Context, u *User) (bool, error) {
	q := d.db(ctx).Model(&Program{})
	switch u.Role {
	case RoleAdmin:
		q = q.Where("require_second_factor_for <> ?", SecondFactorNone)
	case RoleDirector:
		ids, err := d.UserPrograms(ctx, u)
		if err != nil {
			return false, err
		}
		if len(ids) == 0 {
			return false, nil
		}
		q = q.Where("id IN ? AND require_second_factor_for IN ?", ids, []string{SecondFactorDirectors, SecondFactorStaff})
	case RoleResident:
		if u.ProgramID == nil {
			return false, nil
		}
		q = q.Where("id = ? AND require_second_factor_for = ?", *u.ProgramID, SecondFactorStaff)
	default:
		return false, nil
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return false, fmt.Errorf("second factor policy: %w", err)
	}
	return n > 0, nil
}

// UpdateSecondFactorPolicy sets a program's require_second_factor_for.
func (d *DB) UpdateSecondFactorPolicy(ctx context.Context, programID int64, policy string) error {
	if !ValidSecondFactorPolicy(policy) {
		return surveys.Errorf(surveys.EINVALID, "require_second_factor_for must be none, directors or staff")
	}
	res := d.db(ctx).Model(&Program{}).Where("id = ?", programID).Update("require_second_factor_for", policy)
	if res.Error != nil {
		return fmt.Errorf("update second factor policy: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	return nil
}
