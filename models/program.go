package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// DefaultMinResponses is a new program's report threshold; MinMinResponses is
// the lowest a program may set.
const (
	DefaultMinResponses = 5
	MinMinResponses     = 3
)

// Program is a residency program, the tenant that owns users and links.
type Program struct {
	ID           int64     `gorm:"primaryKey"`
	Name         string    `gorm:"not null"`
	MinResponses int       `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
	// MenteeEmailDomains is a comma-separated list of domains whose
	// addresses are accepted as mentees on first use (see MenteeDomains).
	MenteeEmailDomains string `gorm:"not null"`
	// InstrumentKey and InstrumentVersion name the published version new
	// links ask (docs/instrument.md, "Versions"); nil for the default.
	InstrumentKey     *string
	InstrumentVersion *int
	// SurveyLanguages is the comma-separated, ordered list of languages
	// its survey links offer (see Languages).
	SurveyLanguages string `gorm:"not null"`
	// RetentionYears is how long its released data, closed links and
	// meetings are kept after their window closes (see PurgeProgram).
	RetentionYears int `gorm:"not null"`
	// RequireSecondFactorFor says whose sign-in needs a second factor:
	// SecondFactorNone, SecondFactorDirectors or SecondFactorStaff.
	RequireSecondFactorFor string `gorm:"not null;default:none"`
	DeliverySettings
	WindowSettings
}

// CreateProgram stores a new program; a name already taken (ignoring case) is
// a conflict.
func (d *DB) CreateProgram(ctx context.Context, p *Program) error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return surveys.Errorf(surveys.EINVALID, "a program needs a name")
	}
	if p.MinResponses == 0 {
		p.MinResponses = DefaultMinResponses
	}
	if p.MinResponses < MinMinResponses {
		return surveys.Errorf(surveys.EINVALID, "min_responses must be at least %d", MinMinResponses)
	}
	p.DeliverySettings = p.DeliverySettings.withDefaults()
	if err := p.DeliverySettings.Validate(); err != nil {
		return err
	}
	p.WindowSettings = p.WindowSettings.withDefaults()
	if err := p.WindowSettings.Validate(); err != nil {
		return err
	}
	if p.SurveyLanguages == "" {
		p.SurveyLanguages = DefaultSurveyLanguage
	}
	if p.RetentionYears == 0 {
		p.RetentionYears = DefaultRetentionYears
	}
	if err := validRetention(p.RetentionYears); err != nil {
		return err
	}
	p.CreatedAt = d.now()
	if err := d.db(ctx).Create(p).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return surveys.Errorf(surveys.ECONFLICT, "a program named %q already exists", p.Name)
		}
		return fmt.Errorf("create program: %w", err)
	}
	return nil
}

// ProgramByID returns one program.
func (d *DB) ProgramByID(ctx context.Context, id int64) (*Program, error) {
	var p Program
	err := d.db(ctx).First(&p, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "program %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find program: %w", err)
	}
	return &p, nil
}

// ProgramByName returns the program with that name, ignoring case.
func (d *DB) ProgramByName(ctx context.Context, name string) (*Program, error) {
	var p Program
	err := d.db(ctx).Where("lower(name) = lower(?)", strings.TrimSpace(name)).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "no program is named %q", name)
	}
	if err != nil {
		return nil, fmt.Errorf("find program: %w", err)
	}
	return &p, nil
}

// Programs lists every program by name.
func (d *DB) Programs(ctx context.Context) ([]Program, error) {
	var ps []Program
	if err := d.db(ctx).Order("name").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("list programs: %w", err)
	}
	return ps, nil
}
