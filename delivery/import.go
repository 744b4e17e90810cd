package delivery

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// Import limits.
const (
	MaxImportBytes = 2 << 20
	MaxImportRows  = 5000
)

// ImportReport says what an import did, row by row for the rows it could not
// take.
type ImportReport struct {
	Rows    int           `json:"rows"`
	Created int           `json:"created"`
	Skipped int           `json:"skipped"` // already recorded earlier or earlier in the file
	Errors  []ImportError `json:"errors"`
}

// ImportError is one rejected row, by its line in the file.
type ImportError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// importRow is a data row and the line it started on.
type importRow struct {
	line   int
	fields []string
}

var importHeader = []string{"resident_email", "mentee_email", "meeting_date"}

// Import records one meeting per CSV row (resident_email, mentee_email,
// meeting_date, with an optional header line and an optional fourth column
// mentee_name) and queues their emails. Each row is recorded in its own
// transaction: a valid row is stored whole with its jobs, an invalid one not
// at all and reported by line. A row already recorded (same resident, mentee
// email and date) is skipped, so importing a file twice sends nothing twice.
// With programID non-zero every resident must belong to that program.
// progress, if set, is called after each row with rows done and the total.
func (s *Service) Import(ctx context.Context, programID int64, r io.Reader, progress func(done, total int)) (*ImportReport, error) {
	rows, err := readImport(r)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Rows: len(rows), Errors: []ImportError{}}
	residents := map[string]*models.User{}
	for i, row := range rows {
		err := s.importRow(ctx, programID, row, residents)
		switch {
		case err == nil:
			rep.Created++
		case errors.Is(err, models.ErrMeetingRecorded):
			rep.Skipped++
		case surveys.ErrorCode(err) == surveys.EINTERNAL:
			return rep, fmt.Errorf("import line %d: %w", row.line, err)
		default:
			rep.Errors = append(rep.Errors, ImportError{Line: row.line, Message: rowMessage(err)})
		}
		if progress != nil {
			progress(i+1, len(rows))
		}
	}
	return rep, nil
}

func (s *Service) importRow(ctx context.Context, programID int64, row importRow, residents map[string]*models.User) error {
	if len(row.fields) < 3 || len(row.fields) > 4 {
		return surveys.Errorf(surveys.EINVALID, "expected resident_email,mentee_email,meeting_date, got %d columns", len(row.fields))
	}
	resEmail := strings.ToLower(strings.TrimSpace(row.fields[0]))
	res, ok := residents[resEmail]
	if !ok {
		u, err := s.db.UserByEmail(ctx, resEmail)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			return surveys.Errorf(surveys.EINVALID, "no resident has email %q", resEmail)
		}
		if err != nil {
			return err
		}
		res, residents[resEmail] = u, u
	}
	if res.Role != models.RoleResident || res.ProgramID == nil || (programID != 0 && *res.ProgramID != programID) {
		return surveys.Errorf(surveys.EINVALID, "%s is not a resident of this program", resEmail)
	}
	if strings.TrimSpace(row.fields[1]) == "" {
		return surveys.Errorf(surveys.EINVALID, "mentee_email is empty: an import sends links by email")
	}
	n := NewMeeting{ResidentID: res.ID, MenteeEmail: row.fields[1], MeetingDate: strings.TrimSpace(row.fields[2])}
	if len(row.fields) == 4 {
		n.MenteeName = row.fields[3]
	}
	_, err := s.Record(ctx, n)
	return err
}

// rowMessage turns a validation error into one line for the report.
func rowMessage(err error) string {
	var ae *surveys.Error
	if errors.As(err, &ae) && len(ae.Fields) > 0 {
		parts := make([]string, len(ae.Fields))
		for i, f := range ae.Fields {
			parts[i] = f.Field + " " + f.Message
		}
		return strings.Join(parts, "; ")
	}
	return surveys.ErrorMessage(err)
}

// readImport reads every row first, so that a malformed file is refused
// before anything is stored and progress knows its total.
func readImport(r io.Reader) ([]importRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read import: %w", err)
	}
	if len(data) > MaxImportBytes {
		return nil, surveys.Errorf(surveys.EINVALID, "the file is larger than %d MiB; split it", MaxImportBytes>>20)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var rows []importRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, surveys.Errorf(surveys.EINVALID, "the file is not valid CSV: line %d: %v", pe.Line, pe.Err)
		}
		if err != nil {
			return nil, fmt.Errorf("read import: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if len(rows) == 0 && line == 1 && isHeader(rec) {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		rows = append(rows, importRow{line: line, fields: rec})
		if len(rows) > MaxImportRows {
			return nil, surveys.Errorf(surveys.EINVALID, "the file has more than %d rows; split it", MaxImportRows)
		}
	}
	if len(rows) == 0 {
		return nil, surveys.Errorf(surveys.EINVALID, "the file has no rows; expected resident_email,mentee_email,meeting_date")
	}
	return rows, nil
}

func isHeader(rec []string) bool {
	if len(rec) < len(importHeader) {
		return false
	}
	for i, h := range importHeader {
		if !strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(rec[i], "\ufeff")), h) {
			return false
		}
	}
	return true
}
