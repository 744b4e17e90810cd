package models

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// WindowSettings are a program's release rule (see surveys/window.go and
// surveys/release.go): the window kind, the month its academic year starts,
// and how many distinct mentees a released group needs.
type WindowSettings struct {
	ReleaseWindow          string `gorm:"not null" json:"release_window"`
	AcademicYearStartMonth int    `gorm:"not null" json:"academic_year_start_month"`
	MinMentees             int    `gorm:"not null" json:"min_mentees"`
}

func (s WindowSettings) withDefaults() WindowSettings {
	if s.ReleaseWindow == "" {
		s.ReleaseWindow = surveys.DefaultWindow
	}
	if s.AcademicYearStartMonth == 0 {
		s.AcademicYearStartMonth = surveys.DefaultAcademicYearStartMonth
	}
	if s.MinMentees == 0 {
		s.MinMentees = surveys.DefaultMinMentees
	}
	return s
}

// Validate checks the ranges the database also enforces.
func (s WindowSettings) Validate() error {
	var fields []surveys.FieldError
	if !surveys.ValidWindowKind(s.ReleaseWindow) {
		fields = append(fields, surveys.FieldError{Field: "release_window", Message: "must be one of " + surveys.WindowKindList()})
	}
	if s.AcademicYearStartMonth < 1 || s.AcademicYearStartMonth > 12 {
		fields = append(fields, surveys.FieldError{Field: "academic_year_start_month", Message: "must be from 1 to 12"})
	}
	if s.MinMentees < surveys.MinMinMentees {
		fields = append(fields, surveys.FieldError{Field: "min_mentees", Message: fmt.Sprintf("must be at least %d, so no one can single out a mentee", surveys.MinMinMentees)})
	}
	if len(fields) > 0 {
		return surveys.Invalid("the release settings are not valid", fields)
	}
	return nil
}

// WindowOf is the program's release window holding t.
func (s WindowSettings) WindowOf(t time.Time) surveys.Window {
	return surveys.WindowOf(t, s.ReleaseWindow, s.AcademicYearStartMonth)
}

// Align widens a report period to the program's whole windows.
func (s WindowSettings) Align(p surveys.Period) surveys.Period {
	return surveys.AlignPeriod(p, s.ReleaseWindow, s.AcademicYearStartMonth)
}

// UpdateWindowSettings changes a program's release rule. Responses already
// stored keep the window they were given; the new kind applies to answers
// submitted from now on, and a group is judged at each close of a window of
// the kind in force then.
func (d *DB) UpdateWindowSettings(ctx context.Context, programID int64, s WindowSettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	res := d.db(ctx).Model(&Program{}).Where("id = ?", programID).Updates(map[string]any{
		"release_window":            s.ReleaseWindow,
		"academic_year_start_month": s.AcademicYearStartMonth,
		"min_mentees":               s.MinMentees,
	})
	if res.Error != nil {
		return fmt.Errorf("update release settings: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", programID)
	}
	return nil
}
