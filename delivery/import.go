package delivery

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// ImportReport says what an import did, row by row for the rows it could not
// take.
type ImportReport struct {
	Rows    int               `json:"rows"`
	Created int               `json:"created"`
	Skipped int               `json:"skipped"` // already recorded earlier or earlier in the file
	Errors  []csvimport.Error `json:"errors"`
}

var meetingColumns = csvimport.Columns{
	Names:    []string{"resident_email", "mentee_email", "meeting_date", "mentee_name"},
	Required: []string{"resident_email", "mentee_email", "meeting_date"},
}

// meetingRow is one parsed row: the meeting, and its resident by email.
type meetingRow struct {
	residentEmail string
	meeting       NewMeeting
}

// Import records one meeting per CSV row (resident_email, mentee_email,
// meeting_date, in that order or as a header names them) and queues their
// emails, under csvimport's limits: a file over them is refused whole, with
// nothing recorded. Each row follows Record's rule: the mentee must be an
// active mentee of the resident's program, or an address in one of its
// mentee domains (added to the roster and audited as by). A fourth column,
// mentee_name, is accepted for older files and ignored: names come from the
// roster. Each row is recorded in its own transaction: a valid row is stored
// whole with its jobs, an invalid one not at all and reported by line. A row
// already recorded (same resident, mentee and date) is skipped, so importing
// a file twice sends nothing twice. With programID non-zero every resident
// must belong to that program. progress, if set, is called after each row
// with rows done and the total.
func (s *Service) Import(ctx context.Context, programID int64, r io.Reader, by models.AuditBy, progress func(done, total int)) (*ImportReport, error) {
	rep := &ImportReport{}
	residents := map[string]*models.User{}
	apply := func(ctx context.Context, row meetingRow) error {
		err := s.importRow(ctx, programID, row, residents, by)
		switch {
		case err == nil:
			rep.Created++
		case errors.Is(err, models.ErrMeetingRecorded):
			rep.Skipped++
			return nil
		}
		return err
	}
	res, err := csvimport.Import(ctx, r, meetingColumns, parseMeetingRow, apply, progress)
	if err != nil {
		return nil, err
	}
	rep.Rows, rep.Errors = res.Rows, res.Errors
	return rep, nil
}

// errNotAResident is every row whose resident_email names no resident of
// the program. The email is the row's own, shown beside its line number.
var errNotAResident = surveys.Invalid("the row is not valid", []surveys.FieldError{{Field: "resident_email", Message: "is not the email of a resident of this program"}})

func parseMeetingRow(row csvimport.Row) (meetingRow, error) {
	if row.Len() < 3 {
		return meetingRow{}, surveys.Errorf(surveys.EINVALID, "expected resident_email,mentee_email,meeting_date, got %d columns", row.Len())
	}
	if row.Get("mentee_email") == "" {
		return meetingRow{}, surveys.Errorf(surveys.EINVALID, "mentee_email is empty: an import sends links by email")
	}
	return meetingRow{
		residentEmail: strings.ToLower(row.Get("resident_email")),
		meeting:       NewMeeting{MenteeEmail: row.Get("mentee_email"), MeetingDate: row.Get("meeting_date")},
	}, nil
}

// importRow records one row's meeting once its resident is known to be in
// the program. An email with no account and one whose account is not a
// resident of the program get the same message: an importer learns nothing
// about accounts outside their program.
func (s *Service) importRow(ctx context.Context, programID int64, row meetingRow, residents map[string]*models.User, by models.AuditBy) error {
	res, ok := residents[row.residentEmail]
	if !ok {
		u, err := s.db.UserByEmail(ctx, row.residentEmail)
		if err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND {
			return err
		}
		res, residents[row.residentEmail] = u, u
	}
	if res == nil || res.Role != models.RoleResident || res.ProgramID == nil || (programID != 0 && *res.ProgramID != programID) {
		return errNotAResident
	}
	n := row.meeting
	n.ResidentID, n.By = res.ID, by
	_, err := s.Record(ctx, n)
	return err
}
