package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// Mentee statuses. Only an active mentee can be sent a link.
const (
	MenteeActive   = "active"
	MenteePending  = "pending_approval"
	MenteeInactive = "inactive"
)

// Mentee is a person on a program's roster who may be sent survey links.
// Mentees never sign in and are never users; an address is either a staff
// account's or a mentee's, never both.
type Mentee struct {
	ID        int64  `gorm:"primaryKey"`
	ProgramID int64  `gorm:"not null"`
	Email     string `gorm:"not null"`
	Name      *string
	Status    string `gorm:"not null"`
	// AddedBy is the user who added the mentee; nil for the operator and
	// for a domain address added on first use.
	AddedBy   *int64
	CreatedAt time.Time `gorm:"not null"`
}

// Active reports whether links may go to the mentee.
func (m *Mentee) Active() bool { return m.Status == MenteeActive }

// The conflicts between staff accounts and mentees. Each is a 409: an
// address belongs to one kind of person only.
var (
	ErrStaffEmail  = surveys.Errorf(surveys.ECONFLICT, "this address belongs to a staff account; staff cannot be mentees")
	ErrMenteeEmail = surveys.Errorf(surveys.ECONFLICT, "this address belongs to a mentee; a mentee cannot have a staff account")
	ErrMenteeTaken = surveys.Errorf(surveys.ECONFLICT, "this address is already on the program's mentee roster")
)

// ErrNotAMentee is every reason a link cannot go to an address or id: not
// on the roster, on another program's, pending approval or inactive. One
// message for all, so whoever records a meeting learns nothing about the
// roster beyond "not now".
var ErrNotAMentee = surveys.Errorf(surveys.EINVALID, "is not an active mentee of this program: ask your program director to add them to the roster")

// CreateMentee adds a mentee to a program's roster. The email is
// normalized; an address of a staff account is ErrStaffEmail, one already
// on this program's roster ErrMenteeTaken.
func (d *DB) CreateMentee(ctx context.Context, m *Mentee) error {
	email, err := NormalizeEmail(m.Email)
	if err != nil {
		return surveys.Invalid("the mentee is not valid", []surveys.FieldError{{Field: "email", Message: MsgBadEmail}})
	}
	m.Email = email
	if m.Name != nil {
		name := strings.Join(strings.Fields(*m.Name), " ")
		m.Name = &name
		if name == "" {
			m.Name = nil
		}
	}
	switch m.Status {
	case MenteeActive, MenteePending, MenteeInactive:
	default:
		return fmt.Errorf("create mentee: status %q", m.Status)
	}
	m.ID, m.CreatedAt = 0, d.now()
	return d.WithTx(ctx, func(ctx context.Context) error {
		if staff, err := d.emailIsStaff(ctx, email); err != nil {
			return err
		} else if staff {
			return ErrStaffEmail
		}
		if err := d.db(ctx).Create(m).Error; err != nil {
			if isUniqueViolation(err) {
				return ErrMenteeTaken
			}
			return fmt.Errorf("create mentee: %w", err)
		}
		return nil
	})
}

// emailIsStaff reports whether any account, of any role and active or not,
// has the address.
func (d *DB) emailIsStaff(ctx context.Context, email string) (bool, error) {
	var n int64
	if err := d.db(ctx).Model(&User{}).Where("lower(email) = ?", strings.ToLower(email)).Count(&n).Error; err != nil {
		return false, fmt.Errorf("find account: %w", err)
	}
	return n > 0, nil
}

// EmailIsMentee reports whether the address is on any program's roster, in
// any status: such an address cannot become a staff account.
func (d *DB) EmailIsMentee(ctx context.Context, email string) (bool, error) {
	var n int64
	if err := d.db(ctx).Model(&Mentee{}).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Count(&n).Error; err != nil {
		return false, fmt.Errorf("find mentee: %w", err)
	}
	return n > 0, nil
}

// MenteeByID returns one mentee.
func (d *DB) MenteeByID(ctx context.Context, id int64) (*Mentee, error) {
	var m Mentee
	err := d.db(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "mentee %d does not exist", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find mentee: %w", err)
	}
	return &m, nil
}

// MenteeByEmail returns a program's mentee with that address.
func (d *DB) MenteeByEmail(ctx context.Context, programID int64, email string) (*Mentee, error) {
	var m Mentee
	err := d.db(ctx).Where("program_id = ? AND email = ?", programID, strings.ToLower(strings.TrimSpace(email))).First(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "no mentee of program %d has that address", programID)
	}
	if err != nil {
		return nil, fmt.Errorf("find mentee: %w", err)
	}
	return &m, nil
}

// Mentees lists a program's roster: pending approvals first, then active,
// then inactive, each by address.
func (d *DB) Mentees(ctx context.Context, programID int64) ([]Mentee, error) {
	var ms []Mentee
	err := d.db(ctx).Where("program_id = ?", programID).
		Order("CASE status WHEN 'pending_approval' THEN 0 WHEN 'active' THEN 1 ELSE 2 END, email, id").
		Find(&ms).Error
	if err != nil {
		return nil, fmt.Errorf("list mentees: %w", err)
	}
	return ms, nil
}

// MenteeUpdate holds what may change about a mentee; nil leaves a field
// alone, an empty name clears it.
type MenteeUpdate struct {
	Name   *string
	Status *string
}

// UpdateMentee changes a mentee's name or status.
func (d *DB) UpdateMentee(ctx context.Context, id int64, up MenteeUpdate) (*Mentee, error) {
	m, err := d.MenteeByID(ctx, id)
	if err != nil {
		return nil, err
	}
	changes := map[string]any{}
	if up.Name != nil {
		name := strings.Join(strings.Fields(*up.Name), " ")
		if name == "" {
			m.Name, changes["name"] = nil, nil
		} else {
			m.Name, changes["name"] = &name, name
		}
	}
	if up.Status != nil {
		m.Status, changes["status"] = *up.Status, *up.Status
	}
	if len(changes) == 0 {
		return m, nil
	}
	if err := d.db(ctx).Model(&Mentee{}).Where("id = ?", id).Updates(changes).Error; err != nil {
		return nil, fmt.Errorf("update mentee: %w", err)
	}
	return m, nil
}

// MenteeDomains is the program's mentee_email_domains as a list, never nil.
func (p *Program) MenteeDomains() []string {
	out := []string{}
	for _, d := range strings.Split(p.MenteeEmailDomains, ",") {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, d)
		}
	}
	return out
}

// InMenteeDomains reports whether a normalized address is in one of the
// program's mentee domains: its domain equals one of them exactly.
func (p *Program) InMenteeDomains(email string) bool {
	_, domain, ok := strings.Cut(email, "@")
	return ok && slices.Contains(p.MenteeDomains(), domain)
}

// SetMenteeDomains stores a program's mentee domains, already checked and
// normalized by the caller.
func (d *DB) SetMenteeDomains(ctx context.Context, programID int64, domains []string) error {
	err := d.db(ctx).Model(&Program{}).Where("id = ?", programID).Update("mentee_email_domains", strings.Join(domains, ",")).Error
	if err != nil {
		return fmt.Errorf("set mentee domains: %w", err)
	}
	return nil
}

// MenteeRef names the mentee a link is for: by roster id, or by address.
type MenteeRef struct {
	ID    *int64
	Email string
}

// MenteeForLink finds the mentee of a program a link may go to. An address
// in one of the program's mentee domains that is not on the roster yet is
// added, active (added reports it; the caller audits it as mentee.auto_add).
// Any other miss is ErrNotAMentee. Call it inside the transaction that makes
// the link.
func (d *DB) MenteeForLink(ctx context.Context, prog *Program, ref MenteeRef) (m *Mentee, added bool, err error) {
	if ref.ID != nil {
		m, err = d.MenteeByID(ctx, *ref.ID)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND || err == nil && m.ProgramID != prog.ID {
			return nil, false, ErrNotAMentee
		}
	} else {
		var email string
		if email, err = NormalizeEmail(ref.Email); err != nil {
			return nil, false, surveys.Invalid("the mentee is not valid", []surveys.FieldError{{Field: "mentee_email", Message: MsgBadEmail}})
		}
		m, err = d.MenteeByEmail(ctx, prog.ID, email)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND && prog.InMenteeDomains(email) {
			m = &Mentee{ProgramID: prog.ID, Email: email, Status: MenteeActive}
			if err = d.CreateMentee(ctx, m); errors.Is(err, ErrStaffEmail) {
				return nil, false, ErrNotAMentee
			} else if err != nil {
				return nil, false, err
			}
			return m, true, nil
		}
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return nil, false, ErrNotAMentee
		}
	}
	if err != nil {
		return nil, false, err
	}
	if !m.Active() {
		return nil, false, ErrNotAMentee
	}
	return m, false, nil
}

// AuditBy is who an audit entry written below the accounts layer names: a
// signed-in user, the operator, or nobody (a mentee at a QR request page).
type AuditBy struct {
	UserID   *int64
	Operator bool
}

// Entry fills in the actor of an audit entry.
func (b AuditBy) Entry(e AuditEntry) AuditEntry {
	e.ActorID = b.UserID
	if b.Operator {
		e.Actor = ActorOperator
	}
	return e
}

// MenteeTarget is an audit entry's target for a mentee: its id, never its
// address.
func MenteeTarget(id int64) string { return fmt.Sprintf("mentee:%d", id) }
