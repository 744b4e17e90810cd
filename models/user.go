package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Roles a user can have.
const (
	RoleAdmin    = "admin"
	RoleDirector = "director"
	RoleResident = "resident"
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// MinPGYYear and MaxPGYYear bound a resident's postgraduate year. The users
// table's CHECK constraint in the migrations holds the same range.
const (
	MinPGYYear = 1
	MaxPGYYear = 7
)

// ValidPGYYear reports whether n is a PGY year a resident can be in.
func ValidPGYYear(n int) bool { return n >= MinPGYYear && n <= MaxPGYYear }

// PGYYears lists the PGY years in order, for option lists.
func PGYYears() []int {
	years := make([]int, 0, MaxPGYYear-MinPGYYear+1)
	for y := MinPGYYear; y <= MaxPGYYear; y++ {
		years = append(years, y)
	}
	return years
}

// User is a person who signs in: an admin, a program director or a resident.
// Mentees are never users.
type User struct {
	ID           int64  `gorm:"primaryKey"`
	Email        string `gorm:"not null"`
	Name         string `gorm:"not null"`
	Role         string `gorm:"not null"`
	ProgramID    *int64
	PGYYear      *int   `gorm:"column:pgy_year"`
	PasswordHash string `gorm:"not null"`
	Active       bool   `gorm:"not null"`
	// PasswordSetAt is when the password was last set; nil when unknown
	// (set before this was recorded) or when there is no password.
	PasswordSetAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// MsgBadEmail is the field message for an email that NormalizeEmail refuses.
const MsgBadEmail = "must be an email address like name@hospital.org"

// NormalizeEmail trims and lower-cases an address and checks its form.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		return "", surveys.Errorf(surveys.EINVALID, "%q is not an email address", email)
	}
	return email, nil
}

// HashPassword checks a password against the policy (CheckPassword) and
// returns its bcrypt hash.
func HashPassword(password string) (string, error) {
	if err := CheckPassword(password); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), PasswordCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// CreateUser validates and stores a user. A resident needs a program; an
// email already in use (ignoring case) is a conflict.
func (d *DB) CreateUser(ctx context.Context, u *User) error {
	email, err := NormalizeEmail(u.Email)
	if err != nil {
		// A field error, so forms can show it beside the email box.
		return surveys.Invalid("the user is not valid", []surveys.FieldError{{Field: "email", Message: MsgBadEmail}})
	}
	u.Email = email
	u.Name = strings.TrimSpace(u.Name)
	var fields []surveys.FieldError
	if u.Name == "" {
		fields = append(fields, surveys.FieldError{Field: "name", Message: "a name is required"})
	}
	switch u.Role {
	case RoleAdmin, RoleDirector, RoleResident:
	default:
		fields = append(fields, surveys.FieldError{Field: "role", Message: "role must be admin, director or resident"})
	}
	if u.Role == RoleResident && u.ProgramID == nil {
		fields = append(fields, surveys.FieldError{Field: "program", Message: "a resident belongs to a program"})
	}
	if u.PGYYear != nil && !ValidPGYYear(*u.PGYYear) {
		fields = append(fields, surveys.FieldError{Field: "pgy_year", Message: fmt.Sprintf("PGY year must be from %d to %d", MinPGYYear, MaxPGYYear)})
	}
	if len(fields) > 0 {
		return surveys.Invalid("the user is not valid", fields)
	}
	u.Active = true
	now := d.now()
	u.CreatedAt, u.UpdatedAt = now, now
	return d.WithTx(ctx, func(ctx context.Context) error {
		if err := d.db(ctx).Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return surveys.Errorf(surveys.ECONFLICT, "a user with email %s already exists", u.Email)
			}
			return fmt.Errorf("create user: %w", err)
		}
		if u.Role == RoleDirector && u.ProgramID != nil {
			return d.AddDirector(ctx, *u.ProgramID, u.ID)
		}
		return nil
	})
}

// UserByID returns one user.
func (d *DB) UserByID(ctx context.Context, id int64) (*User, error) {
	var u User
	err := d.db(ctx).First(&u, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "user %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return &u, nil
}

// UserByEmail returns the user with that email, ignoring case.
func (d *DB) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := d.db(ctx).Where("lower(email) = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "no user has email %s", email)
	}
	if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return &u, nil
}

// Residents lists a program's residents by name.
func (d *DB) Residents(ctx context.Context, programID int64) ([]User, error) {
	var us []User
	err := d.db(ctx).Where("program_id = ? AND role = ?", programID, RoleResident).Order("name").Find(&us).Error
	if err != nil {
		return nil, fmt.Errorf("list residents: %w", err)
	}
	return us, nil
}
