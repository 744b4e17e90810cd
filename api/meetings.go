package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// registerMeetingRoutes registers recording meetings, importing them, and
// the delivery view. Access is decided in meeting_access.go.
func (s *Server) registerMeetingRoutes(g *echo.Group) {
	auth := s.APIAuth()
	g.POST("/meetings", s.createMeeting, auth...)
	g.POST("/programs/:id/meetings/import", s.importMeetings, auth...)
	g.GET("/programs/:id/meetings", s.listMeetings, auth...)
}

// createMeetingRequest is the body of POST /api/v1/meetings: the mentee by
// roster id or by address, exactly one (delivery.Service.Record checks).
type createMeetingRequest struct {
	ResidentID  *int64  `json:"resident_id" validate:"omitempty,id"`
	MeetingDate string  `json:"meeting_date" validate:"required,datetime=2006-01-02"`
	MenteeID    *int64  `json:"mentee_id" validate:"omitempty,id"`
	MenteeEmail *string `json:"mentee_email" validate:"omitempty,max=254,text"`
}

// meetingView is the 201 answer of POST /api/v1/meetings. It never holds
// the link: that goes only to the mentee's inbox.
type meetingView struct {
	ID         int64                 `json:"id"`
	Invitation meetingInvitationView `json:"invitation"`
	Delivery   string                `json:"delivery"`
}

type meetingInvitationView struct {
	ID        int64     `json:"id"`
	ExpiresAt time.Time `json:"expires_at"`
	Status    string    `json:"status"`
}

func (s *Server) createMeeting(c echo.Context) error {
	var req createMeetingRequest
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	// A resident may leave resident_id out to mean themselves.
	residentID := int64(0)
	if req.ResidentID != nil {
		residentID = *req.ResidentID
	} else if u := httpkit.CurrentUser(c); u != nil && u.Role == models.RoleResident {
		residentID = u.ID
	}
	if residentID == 0 {
		return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "resident_id", Message: "is required"}})
	}
	if err := s.AuthorizeMeeting(c, residentID); err != nil {
		return err
	}
	n := delivery.NewMeeting{ResidentID: residentID, MeetingDate: req.MeetingDate, MenteeID: req.MenteeID,
		By: httpkit.ActorOf(c).AuditBy()}
	if req.MenteeEmail != nil {
		n.MenteeEmail = *req.MenteeEmail
	}
	rec, err := s.Cfg.Delivery.Record(c.Request().Context(), n)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, meetingView{
		ID: rec.Meeting.ID,
		Invitation: meetingInvitationView{
			ID:        rec.Invitation.ID,
			ExpiresAt: rec.Invitation.ExpiresAt.UTC().Truncate(time.Second),
			Status:    rec.Invitation.Status,
		},
		Delivery: rec.Delivery,
	})
}

func (s *Server) importMeetings(c echo.Context) error {
	programID, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if err := s.AuthorizeImport(c, programID); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.DB.ProgramByID(ctx, programID); err != nil {
		return err
	}
	body, err := csvBody(c)
	if err != nil {
		return err
	}
	defer body.Close()
	rep, err := s.Cfg.Delivery.Import(ctx, programID, body, httpkit.ActorOf(c).AuditBy(), nil)
	if err != nil {
		return err
	}
	if err := s.AuditMeetingImport(c, programID, rep); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// csvBody returns the uploaded CSV: the raw body (text/csv) or the "file"
// field of a form upload.
func csvBody(c echo.Context) (io.ReadCloser, error) {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, csvimport.MaxBytes+64<<10)
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	switch mt {
	case "text/csv", "application/csv", "text/plain":
		return req.Body, nil
	case echo.MIMEMultipartForm:
		fh, err := c.FormFile("file")
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, surveys.Errorf(surveys.ETOOLARGE, "the upload is larger than %d MiB; split the file", csvimport.MaxBytes>>20)
		}
		if err != nil {
			return nil, surveys.Invalid("the upload has no CSV file", []surveys.FieldError{{Field: "file", Message: "is required"}})
		}
		return fh.Open()
	}
	return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the CSV as text/csv, or as the field \"file\" of a multipart/form-data upload")
}

// deliveryListView is the answer of GET /api/v1/programs/{id}/meetings.
type deliveryListView struct {
	Residents []residentDeliveryView `json:"residents"`
	Meetings  []meetingStatusView    `json:"meetings"`
}

type residentDeliveryView struct {
	ID     int64          `json:"id"`
	Name   string         `json:"name"`
	Counts map[string]int `json:"counts"`
}

// meetingStatusView is one meeting's email delivery: queued, sent or
// failed with a reason, never whether its link was answered, declined or
// reminded (issue 10: that would name the members of a released group).
type meetingStatusView struct {
	ID             int64      `json:"id"`
	Resident       idNameView `json:"resident"`
	MeetingDate    string     `json:"meeting_date"`
	DeliveryStatus string     `json:"delivery_status"`
	// DeliverySummary is the status in words: "queued, retrying: …" from
	// the first failed attempt, "not sent: no mail server configured".
	DeliverySummary string     `json:"delivery_summary"`
	LastError       *string    `json:"last_error"`
	SentAt          *time.Time `json:"sent_at"`
	ExpiresAt       time.Time  `json:"expires_at"`
	CreatedAt       time.Time  `json:"created_at"`
}

type idNameView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// listMeetingsQuery filters GET /api/v1/programs/{id}/meetings.
type listMeetingsQuery struct {
	Status string `query:"status" json:"status" validate:"omitempty,text,oneof=none queued sent failed"`
	Limit  int    `query:"limit" json:"limit" validate:"omitempty,min=1,max=1000"`
}

func (s *Server) listMeetings(c echo.Context) error {
	programID, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	if err := s.AuthorizeDeliveryView(c, programID); err != nil {
		return err
	}
	var q listMeetingsQuery
	if err := (&echo.DefaultBinder{}).BindQueryParams(c, &q); err != nil {
		return surveys.Invalid("the query is not valid", []surveys.FieldError{{Field: "limit", Message: "must be a number"}})
	}
	if err := c.Validate(&q); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.DB.ProgramByID(ctx, programID); err != nil {
		return err
	}
	summary, err := s.DB.DeliverySummary(ctx, programID)
	if err != nil {
		return err
	}
	if q.Limit == 0 {
		q.Limit = 200
	}
	ms, err := s.DB.ListMeetings(ctx, models.MeetingFilter{ProgramID: programID, Shown: q.Status, Limit: q.Limit})
	if err != nil {
		return err
	}
	out := deliveryListView{Residents: []residentDeliveryView{}, Meetings: []meetingStatusView{}}
	for _, r := range summary {
		out.Residents = append(out.Residents, residentDeliveryView{ID: r.ResidentID, Name: r.ResidentName, Counts: r.Counts})
	}
	for _, m := range ms {
		out.Meetings = append(out.Meetings, meetingStatusView{
			ID: m.ID, Resident: idNameView{m.ResidentID, m.ResidentName}, MeetingDate: m.MeetingDate,
			DeliveryStatus: m.ShownDelivery, DeliverySummary: delivery.StatusText(m.ShownDelivery, m.ShownError()),
			LastError: m.ShownError(),
			SentAt:    m.SentAt, ExpiresAt: m.ExpiresAt.UTC(), CreatedAt: m.CreatedAt.UTC(),
		})
	}
	return c.JSON(http.StatusOK, out)
}
