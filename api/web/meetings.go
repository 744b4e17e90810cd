package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

var recordMeetingFields = []formField{
	{Name: "meeting_date", ID: "rec-date", Label: "Meeting date"},
	{Name: "mentee_email", ID: "rec-email", Label: "Mentee's email"},
}

// recordMeetingForm records a meeting of the signed-in resident with a
// mentee named by email, through the same delivery.Service.Record as POST
// /api/v1/meetings, then redirects home, where a notice says the email is
// queued (nothing secret is shown, so reloading is harmless). The link goes
// to the mentee's inbox only; the resident never sees it.
func (s *Server) recordMeetingForm(c echo.Context) error {
	me := httpkit.CurrentUser(c)
	f := formState{Values: formValues(c, "meeting_date", "mentee_email")}
	n := delivery.NewMeeting{ResidentID: me.ID, MeetingDate: strings.TrimSpace(c.FormValue("meeting_date")),
		MenteeEmail: c.FormValue("mentee_email"), By: httpkit.ActorOf(c).AuditBy()}
	status := http.StatusUnprocessableEntity
	if n.MeetingDate == "" {
		f.add(recordMeetingFields, "meeting_date", "is required")
	} else if err := s.AuthorizeMeeting(c, me.ID); err != nil {
		return err
	} else if rec, err := s.Cfg.Delivery.Record(c.Request().Context(), n); err == nil {
		return c.Redirect(http.StatusSeeOther, "/home?recorded="+strconv.FormatInt(rec.Meeting.ID, 10)+"#recorded")
	} else if !failForm(&f, err, recordMeetingFields, "mentee_email") {
		return err
	} else if surveys.ErrorCode(err) == surveys.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderHome(c, status, homeForms{Record: f})
}

// recordedNotice confirms a meeting just recorded with an email: where the
// email goes (masked: the page may be seen over a shoulder) and what
// reminder follows. It is empty for a meeting that is not the resident's.
func (s *Server) recordedNotice(c echo.Context, meetingID int64) string {
	ctx := c.Request().Context()
	m, err := s.DB.MeetingByID(ctx, meetingID)
	if err != nil || m.ResidentID != httpkit.CurrentUser(c).ID {
		return ""
	}
	prog, err := s.DB.ProgramByID(ctx, m.ProgramID)
	if err != nil {
		return ""
	}
	to := "your mentee"
	if m.MenteeEmail != nil {
		to = maskEmail(*m.MenteeEmail)
	}
	var b strings.Builder
	b.WriteString("Meeting on " + longDate(m.MeetingDate) + " recorded. ")
	switch {
	case m.DeliveryStatus == models.DeliveryQueued && m.LastError == nil:
		b.WriteString("Email queued to " + to)
	case m.DeliveryStatus == models.DeliveryNone:
		return strings.TrimSpace(b.String())
	default:
		b.WriteString("Email to " + to + ": " + deliveryLabel(m.DeliveryStatus, m.LastError))
	}
	b.WriteString(" — ")
	switch {
	case prog.MaxReminders == 0 || prog.ReminderAfterDays >= prog.LinkLifetimeDays:
		b.WriteString("the link closes after " + days(prog.LinkLifetimeDays) + "; no reminder is sent.")
	case prog.MaxReminders == 1:
		b.WriteString("they will get one reminder after " + days(prog.ReminderAfterDays) + " if they have not answered.")
	default:
		b.WriteString("they will get up to " + strconv.Itoa(prog.MaxReminders) + " reminders, " + days(prog.ReminderAfterDays) + " apart, if they have not answered.")
	}
	return b.String()
}

// maskEmail shows enough of an address to recognise it and not enough to
// read it off a screen: sam@student.example → s…@s….example.
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" {
		return "…"
	}
	out := string([]rune(local)[:1]) + "…@" + string([]rune(domain)[:1]) + "…"
	if i := strings.LastIndex(domain, "."); i > 0 {
		out += domain[i:]
	}
	return out
}

// longDate is a YYYY-MM-DD date as people read it.
func longDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("Monday 2 January 2006")
}

// deliveryRow is a recorded meeting as its resident or a director sees it:
// the delivery of its email (models' ShownDelivery) and, for a failure, a
// reason a person can act on. It never holds the mentee's email or name,
// nor whether the link was answered, declined or reminded.
type deliveryRow struct {
	ID                int64
	ResidentName      string
	MeetingDate       *string // for the date functions of the templates
	Status, Label     string
	Reason, Detail    string // Detail is the mail server's words, for directors
	CreatedAt, Closes time.Time
}

func newDeliveryRows(ms []models.MeetingStatus) []deliveryRow {
	out := make([]deliveryRow, 0, len(ms))
	for _, m := range ms {
		lastError := m.ShownError()
		r := deliveryRow{ID: m.ID, ResidentName: m.ResidentName, MeetingDate: &m.MeetingDate, Status: m.ShownDelivery,
			Label: deliveryLabel(m.ShownDelivery, lastError), CreatedAt: m.CreatedAt, Closes: m.ExpiresAt}
		if lastError != nil {
			r.Detail = *lastError
			switch {
			case delivery.NotSent(m.ShownDelivery, lastError):
				r.Detail = "" // the label says it all
				r.Reason = "The email was written to the server log: set MENTORPULSE_SMTP_URL to send emails."
			case m.ShownDelivery == models.DeliveryFailed:
				r.Reason = failureReason(*lastError)
			case delivery.Retrying(m.ShownDelivery, lastError):
				r.Reason = "The last attempt failed; it is tried again automatically."
			default:
				r.Detail = ""
			}
		}
		out = append(out, r)
	}
	return out
}

// deliveryLabel names a meeting's delivery on the pages: its status, but
// "queued, retrying" from the first failed attempt and "not sent: no mail
// server configured" for an email written to the log, never "sent".
func deliveryLabel(status string, lastError *string) string {
	switch {
	case delivery.NotSent(status, lastError):
		return *lastError
	case status == models.DeliveryQueued && lastError != nil:
		return "queued, retrying"
	case delivery.Retrying(status, lastError):
		return statusLabel(status) + ", reminder retrying"
	}
	return statusLabel(status)
}

// statusLabels name the delivery statuses on the pages.
var statusLabels = map[string]string{
	models.DeliveryNone:   "in person",
	models.DeliveryQueued: "queued",
	models.DeliverySent:   "sent",
	models.DeliveryFailed: "failed",
}

func statusLabel(s string) string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return s
}

var smtpPermanent = regexp.MustCompile(`\b5[0-9][0-9]\b`)

// failureReason turns the mail server's answer into what to do about it.
func failureReason(lastError string) string {
	lower := strings.ToLower(lastError)
	switch {
	case strings.Contains(lower, "552") || strings.Contains(lower, "mailbox full") || strings.Contains(lower, "quota"):
		return "The mentee's mailbox is full. Hand the link over in person next time."
	case strings.HasPrefix(lower, "gave up after"):
		return "The email could not be sent after several tries: the mail server did not accept it in time."
	case smtpPermanent.MatchString(lower):
		return "The mentee's mail server refused the address. Check it, and record the meeting again with the right address or hand over the link in person."
	}
	return "The email could not be delivered."
}

// rosterDeliveryLimit bounds the undelivered emails listed on the roster.
const rosterDeliveryLimit = 50

// rosterDelivery is the roster's view of emailed links: counts per
// resident from the same summary as GET /api/v1/programs/{id}/meetings, and
// the emails not delivered (failed, not sent, or retrying) with their
// reasons.
type rosterDelivery struct {
	Residents   []residentDeliveryRow
	Undelivered []deliveryRow
}

// residentDeliveryRow counts one resident's meetings by delivery status.
type residentDeliveryRow struct {
	Name   string
	Counts []statusCount
}

// statusCount is one status with its count, in rosterStatuses order.
type statusCount struct {
	Status, Label string
	N             int
}

// rosterStatuses are the statuses counted on the roster, in the order a
// director reads them.
var rosterStatuses = []string{models.DeliveryQueued, models.DeliverySent, models.DeliveryFailed}

func (s *Server) loadRosterDelivery(c echo.Context, programID int64) (*rosterDelivery, error) {
	if s.Cfg.Delivery == nil {
		return nil, nil
	}
	ctx := c.Request().Context()
	summary, err := s.DB.DeliverySummary(ctx, programID)
	if err != nil {
		return nil, err
	}
	undelivered, err := s.DB.ListMeetings(ctx, models.MeetingFilter{ProgramID: programID, Undelivered: true, Limit: rosterDeliveryLimit})
	if err != nil {
		return nil, err
	}
	out := &rosterDelivery{Undelivered: newDeliveryRows(undelivered)}
	for _, r := range summary {
		row := residentDeliveryRow{Name: r.ResidentName}
		for _, st := range rosterStatuses {
			row.Counts = append(row.Counts, statusCount{Status: st, Label: statusLabel(st), N: r.Counts[st]})
		}
		out.Residents = append(out.Residents, row)
	}
	return out, nil
}

var meetingImportFields = []formField{{Name: "meetings_csv", ID: "meetings-csv", Label: "CSV"}}

// importMeetingsForm records meetings from a CSV (uploaded or pasted)
// through the same delivery.Service.Import as the JSON import, and shows
// what it created and skipped and which lines it could not take.
func (s *Server) importMeetingsForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	if err := s.AuthorizeImport(c, prog.ID); err != nil {
		return err
	}
	d := rosterPageData{MeetImport: formState{Values: map[string]string{"meetings_csv": c.FormValue("meetings_csv")}}}
	csv, done, err := formCSV(c, "meetings_csv", "meetings_file")
	if err != nil {
		return err
	}
	defer done()
	if csv == nil {
		d.MeetImport.add(meetingImportFields, "meetings_csv", "choose a CSV file or paste its rows")
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
	}
	rep, err := s.Cfg.Delivery.Import(c.Request().Context(), prog.ID, csv, httpkit.ActorOf(c).AuditBy(), nil)
	if err != nil {
		if !failCSVForm(&d.MeetImport, err, meetingImportFields, "meetings_csv", "meetings-csv") {
			return err
		}
		return s.renderRoster(c, http.StatusUnprocessableEntity, prog, d)
	}
	if err := s.AuditMeetingImport(c, prog.ID, rep); err != nil {
		return err
	}
	d.MeetImported = rep
	if len(rep.Errors) == 0 {
		d.MeetImport = formState{}
	}
	return s.renderRoster(c, http.StatusOK, prog, d)
}
