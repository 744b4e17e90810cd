package delivery

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
)

// NewMeeting is a meeting to record, with the rostered mentee its link is
// for: by roster id (MenteeID) or by address (MenteeEmail), exactly one.
type NewMeeting struct {
	ResidentID  int64
	MeetingDate string // YYYY-MM-DD
	MenteeID    *int64
	MenteeEmail string
	// By is who records it, named in the audit entry of a mentee added to
	// the roster on first use (an address in the program's mentee domains).
	By models.AuditBy
}

// ChannelEmail is the one way a recorded meeting's link travels: by email
// to the mentee, never through whoever recorded it.
const ChannelEmail = "email"

// Recorded is a stored meeting with its new link. It holds no token: the
// link exists in clear only in the mentee's email.
type Recorded struct {
	Meeting    models.Meeting
	Invitation models.Invitation
	Mentee     models.Mentee
	Delivery   string
	// Jobs enqueued with the meeting.
	SendJobID, ReminderJobID int64
}

// Record stores a meeting and its link for an active mentee of the
// resident's program (an address in one of the program's mentee domains is
// added to the roster on first use, audited as mentee.auto_add), and queues
// the email and the first reminder in the same transaction: either all of
// it is stored or none. Any other address or id is models.ErrNotAMentee as
// a field error. Recording the same resident, mentee and date twice is a
// conflict (models.ErrMeetingRecorded), so nothing is sent twice.
func (s *Service) Record(ctx context.Context, n NewMeeting) (*Recorded, error) {
	n, field, err := s.checkMeeting(n)
	if err != nil {
		return nil, err
	}
	res, err := s.db.UserByID(ctx, n.ResidentID)
	if err != nil {
		return nil, err
	}
	if res.Role != models.RoleResident || res.ProgramID == nil {
		return nil, surveys.Invalid("the meeting is not valid", []surveys.FieldError{{Field: "resident_id",
			Message: fmt.Sprintf("%s is not a resident; meetings are recorded for residents", res.Email)}})
	}
	prog, err := s.db.ProgramByID(ctx, *res.ProgramID)
	if err != nil {
		return nil, err
	}
	out := &Recorded{Delivery: ChannelEmail}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		mentee, added, err := s.db.MenteeForLink(ctx, prog, models.MenteeRef{ID: n.MenteeID, Email: n.MenteeEmail})
		if errors.Is(err, models.ErrNotAMentee) {
			return surveys.Invalid("the meeting is not valid", []surveys.FieldError{{Field: field, Message: models.ErrNotAMentee.Message}})
		}
		if err != nil {
			return err
		}
		if added {
			// The entry names the mentee by id only, never by address.
			if err := s.db.Audit(ctx, n.By.Entry(models.AuditEntry{Action: models.ActionMenteeAutoAdd,
				Target: models.MenteeTarget(mentee.ID), ProgramID: &prog.ID, Detail: "address in the program's mentee domains, status active"})); err != nil {
				return err
			}
		}
		dedupe := s.cfg.Keyring.DedupeKeys(res.ID, mentee.Email, n.MeetingDate)
		if recorded, err := s.db.MeetingRecorded(ctx, dedupe); err != nil {
			return err
		} else if recorded {
			return models.ErrMeetingRecorded
		}
		date := n.MeetingDate
		inv, err := s.db.CreateInvitation(ctx, models.NewInvitation{
			ResidentID: res.ID, MeetingDate: &date, Lifetime: prog.LinkLifetime(), MenteeID: &mentee.ID,
		})
		if err != nil {
			return err
		}
		sealed := s.cfg.Keyring.Seal(inv.Token, inv.ID)
		m := models.Meeting{
			ResidentID: res.ID, ProgramID: prog.ID, InvitationID: inv.ID, MeetingDate: n.MeetingDate,
			MenteeID: &mentee.ID, MenteeEmail: &mentee.Email, MenteeName: mentee.Name,
			SealedToken: &sealed, DedupeKey: &dedupe[0], DeliveryStatus: models.DeliveryQueued,
		}
		if err := s.db.CreateMeeting(ctx, &m); err != nil {
			return err
		}
		out.Meeting, out.Invitation, out.Mentee = m, inv.Invitation, *mentee
		if out.SendJobID, err = s.insertJob(ctx, SendLinkArgs{MeetingID: m.ID}, nil); err != nil {
			return err
		}
		at := m.CreatedAt.Add(prog.ReminderAfter())
		if prog.MaxReminders > 0 && at.Before(inv.ExpiresAt) {
			out.ReminderJobID, err = s.insertJob(ctx, SendReminderArgs{MeetingID: m.ID, Number: 1}, &river.InsertOpts{ScheduledAt: at})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkMeeting validates and normalises a new meeting and returns the name
// of the field that names its mentee.
func (s *Service) checkMeeting(n NewMeeting) (NewMeeting, string, error) {
	var fields []surveys.FieldError
	if n.ResidentID <= 0 {
		fields = append(fields, surveys.FieldError{Field: "resident_id", Message: "is required"})
	}
	if err := surveys.CheckMeetingDate(n.MeetingDate, s.db.Now()); err != nil {
		fields = append(fields, surveys.FieldError{Field: "meeting_date", Message: err.Error()})
	}
	field := "mentee_email"
	n.MenteeEmail = strings.TrimSpace(n.MenteeEmail)
	switch {
	case n.MenteeID != nil && n.MenteeEmail != "":
		fields = append(fields, surveys.FieldError{Field: "mentee_id", Message: "name the mentee by mentee_id or by mentee_email, not both"})
	case n.MenteeID != nil:
		field = "mentee_id"
		if *n.MenteeID <= 0 {
			fields = append(fields, surveys.FieldError{Field: field, Message: "must be a mentee id"})
		}
	case n.MenteeEmail == "":
		fields = append(fields, surveys.FieldError{Field: field, Message: "is required: name the mentee by mentee_email or mentee_id"})
	default:
		if err := surveys.CheckText(n.MenteeEmail, false); err != nil {
			fields = append(fields, surveys.FieldError{Field: field, Message: err.Error()})
		} else if email, err := models.NormalizeEmail(n.MenteeEmail); err != nil {
			fields = append(fields, surveys.FieldError{Field: field, Message: "must be an email address"})
		} else {
			n.MenteeEmail = email
		}
	}
	if len(fields) > 0 {
		return n, field, surveys.Invalid("the meeting is not valid", fields)
	}
	return n, field, nil
}

// insertJob enqueues a job in the transaction carried by ctx.
func (s *Service) insertJob(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	tx, ok := s.db.SQLTx(ctx)
	if !ok {
		return 0, errors.New("enqueue job: no transaction in context")
	}
	res, err := s.river.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// insertTx enqueues a job in the transaction carried by ctx.
func (s *Service) insertTx(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	_, err := s.insertJob(ctx, args, opts)
	return err
}
