package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/skip2/go-qrcode"
)

// homePageData is the resident's home: the record-a-meeting form, their
// QR request code, their recorded meetings' delivery and their links'
// statuses. It never holds a survey token or a mentee's email or name.
type homePageData struct {
	Nav *navView
	// Meetings is on when meetings can be recorded (delivery is set up).
	Meetings bool
	Record   formState
	Today    string
	// MaxDate is the latest meeting date the server accepts: tomorrow in
	// UTC, for time zones ahead of it.
	MaxDate string
	// Recorded confirms the meeting just recorded.
	Recorded string
	Recent   []deliveryRow
	// Code is the resident's QR request code (nil without delivery).
	Code *requestCodeView
}

// homeForms is the state of the home page's forms after a POST.
type homeForms struct {
	Record formState
	// NewCode is a request code just made, shown in the POST's answer only.
	NewCode string
}

func (s *Server) homePage(c echo.Context) error {
	return s.renderHome(c, http.StatusOK, homeForms{})
}

func (s *Server) renderHome(c echo.Context, status int, forms homeForms) error {
	ctx := c.Request().Context()
	me := httpkit.CurrentUser(c)
	// No list or live count of links by status (answered, declined,
	// pending): watching one change tells which meeting was answered, so
	// the members of each released group (issue 10).
	d := homePageData{Nav: s.nav(c),
		Meetings: s.Cfg.Delivery != nil, Record: forms.Record, Today: s.DB.Now().UTC().Format(time.DateOnly),
		MaxDate: s.DB.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)}
	if d.Meetings {
		ms, err := s.DB.ListMeetings(ctx, models.MeetingFilter{ResidentID: me.ID, Limit: homeMeetingLimit})
		if err != nil {
			return err
		}
		d.Recent = newDeliveryRows(ms)
		if d.Record.Values == nil {
			// Most meetings are recorded the day they happen.
			d.Record.Values = map[string]string{"meeting_date": d.Today}
		}
		if id, err := strconv.ParseInt(c.QueryParam("recorded"), 10, 64); err == nil && status == http.StatusOK {
			d.Recorded = s.recordedNotice(c, id)
		}
		if d.Code, err = s.requestCode(c, me.ID, forms.NewCode); err != nil {
			return err
		}
	}
	return s.renderPage(c, status, "home", d)
}

// qrPNG draws a URL's QR code here, so the URL never leaves the server for
// a QR service.
func qrPNG(url string) ([]byte, error) {
	// Medium error correction survives a smudged or glare-struck screen;
	// 512 px stays sharp when the page scales it up to fill a phone.
	png, err := qrcode.Encode(url, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	return png, nil
}
