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

// MaxNameLength is the longest mentee name kept.
const MaxNameLength = 200

// NewMeeting is a meeting to record. Without a mentee email the link is
// handed over in person (delivery "none").
type NewMeeting struct {
	ResidentID  int64
	MeetingDate string // YYYY-MM-DD
	MenteeEmail string
	MenteeName  string
}

// Delivery channels reported for a recorded meeting.
const (
	ChannelEmail = "email"
	ChannelNone  = "none"
)

// Recorded is a stored meeting with its new link. SurveyURL holds the token,
// which exists nowhere else in clear.
type Recorded struct {
	Meeting    models.Meeting
	Invitation models.Invitation
	SurveyURL  string
	Delivery   string
	// Jobs enqueued with the meeting (0 when none).
	SendJobID, ReminderJobID int64
}

// Record stores a meeting and its link, and, with a mentee email, queues the
// email and the first reminder in the same transaction: either all of it is
// stored or none. Recording the same resident, mentee email and date twice
// is a conflict (models.ErrMeetingRecorded), so nothing is sent twice.
func (s *Service) Record(ctx context.Context, n NewMeeting) (*Recorded, error) {
	n, dedupe, err := s.checkMeeting(n)
	if err != nil {
		return nil, err
	}
	res, err := s.db.UserByID(ctx, n.ResidentID)
	if err != nil {
		return nil, err
	}
	if res.Role != models.RoleResident || res.ProgramID == nil {
		return nil, surveys.Errorf(surveys.EINVALID, "%s is not a resident; meetings are recorded for residents", res.Email)
	}
	prog, err := s.db.ProgramByID(ctx, *res.ProgramID)
	if err != nil {
		return nil, err
	}
	out := &Recorded{Delivery: ChannelNone}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if recorded, err := s.db.MeetingRecorded(ctx, dedupe); err != nil {
			return err
		} else if recorded {
			return models.ErrMeetingRecorded
		}
		date := n.MeetingDate
		inv, err := s.db.CreateInvitation(ctx, models.NewInvitation{
			ResidentID: res.ID, MeetingDate: &date, Lifetime: prog.LinkLifetime(),
		})
		if err != nil {
			return err
		}
		m := models.Meeting{
			ResidentID: res.ID, ProgramID: prog.ID, InvitationID: inv.ID,
			MeetingDate: n.MeetingDate, DeliveryStatus: models.DeliveryNone,
		}
		if n.MenteeEmail != "" {
			sealed := s.cfg.Keyring.Seal(inv.Token, inv.ID)
			m.MenteeEmail, m.SealedToken, m.DedupeKey = &n.MenteeEmail, &sealed, &dedupe[0]
			m.DeliveryStatus = models.DeliveryQueued
			if n.MenteeName != "" {
				m.MenteeName = &n.MenteeName
			}
		}
		if err := s.db.CreateMeeting(ctx, &m); err != nil {
			return err
		}
		out.Meeting, out.Invitation, out.SurveyURL = m, inv.Invitation, s.surveyURL(inv.Token)
		if n.MenteeEmail == "" {
			return nil
		}
		out.Delivery = ChannelEmail
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

// checkMeeting validates and normalises a new meeting and returns its dedupe
// keys (none without an email).
func (s *Service) checkMeeting(n NewMeeting) (NewMeeting, []string, error) {
	var fields []surveys.FieldError
	if n.ResidentID <= 0 {
		fields = append(fields, surveys.FieldError{Field: "resident_id", Message: "is required"})
	}
	if err := surveys.CheckMeetingDate(n.MeetingDate, s.db.Now()); err != nil {
		fields = append(fields, surveys.FieldError{Field: "meeting_date", Message: err.Error()})
	}
	n.MenteeEmail = strings.TrimSpace(n.MenteeEmail)
	if err := surveys.CheckText(n.MenteeEmail, false); err != nil {
		fields = append(fields, surveys.FieldError{Field: "mentee_email", Message: err.Error()})
	} else if n.MenteeEmail != "" {
		email, err := models.NormalizeEmail(n.MenteeEmail)
		if err != nil {
			fields = append(fields, surveys.FieldError{Field: "mentee_email", Message: "must be an email address"})
		}
		n.MenteeEmail = email
	}
	// Runs of spaces, tabs and line breaks fold to one space first, as
	// before; what remains must pass the one text check.
	n.MenteeName = strings.Join(strings.Fields(n.MenteeName), " ")
	switch nameErr := surveys.CheckText(n.MenteeName, false); {
	case nameErr != nil:
		fields = append(fields, surveys.FieldError{Field: "mentee_name", Message: nameErr.Error()})
	case len([]rune(n.MenteeName)) > MaxNameLength:
		fields = append(fields, surveys.FieldError{Field: "mentee_name", Message: fmt.Sprintf("must have at most %d characters", MaxNameLength)})
	case n.MenteeName != "" && n.MenteeEmail == "":
		// A name is kept only to greet someone in an email.
		n.MenteeName = ""
	}
	if len(fields) > 0 {
		return n, nil, surveys.Invalid("the meeting is not valid", fields)
	}
	var dedupe []string
	if n.MenteeEmail != "" {
		dedupe = s.cfg.Keyring.DedupeKeys(n.ResidentID, n.MenteeEmail, n.MeetingDate)
	}
	return n, dedupe, nil
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
