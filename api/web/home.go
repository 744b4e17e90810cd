package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/skip2/go-qrcode"
)

// homePageData is the resident's home: the record-a-meeting form, their
// QR request code, their recorded meetings' delivery, and per closed
// window how many meetings they recorded and how many links were answered
// and declined. It never holds a survey token, a mentee's email or name, or
// a link's status.
type homePageData struct {
	Nav *navView
	// Windows counts links per closed window, newest first.
	Windows windowCounts
	// Meetings is on when meetings can be recorded (delivery is set up).
	Meetings bool
	Record   formState
	Today    string
	// MaxDate is the latest meeting date the server accepts: tomorrow in
	// UTC, for time zones ahead of it.
	MaxDate string
	// Recorded confirms the meeting just recorded.
	Recorded string
	// Window is the open window, ThisWindow how many meetings the resident
	// recorded in it, Recent one page of them (newest first).
	Window     string
	ThisWindow int64
	Recent     []deliveryRow
	Page       meetingsPage
	// Code is the resident's QR request code (nil without delivery).
	Code *requestCodeView
	// Growth is the self-assessment and goals (nil outside a program);
	// Saved confirms a self-assessment just saved.
	Growth *homeGrowth
	Saved  string
}

// meetingsPage pages the open window's meetings on the home page.
type meetingsPage struct {
	Number           int
	PrevURL, NextURL string
}

// homeMeetingsPerPage is how many recorded meetings one page of the home
// lists.
const homeMeetingsPerPage = 10

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
	d := homePageData{Nav: s.nav(c),
		Meetings: s.Cfg.Delivery != nil, Record: forms.Record, Today: s.DB.Now().UTC().Format(time.DateOnly),
		MaxDate: s.DB.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)}
	var open surveys.Window
	if me.ProgramID != nil {
		prog, err := s.DB.ProgramByID(ctx, *me.ProgramID)
		if err != nil {
			return err
		}
		if d.Windows, err = s.closedWindowCounts(ctx, prog, me.ID, nil); err != nil {
			return err
		}
		open = surveys.WindowOf(s.DB.Now(), prog.ReleaseWindow, prog.AcademicYearStartMonth)
		d.Window = open.Months()
		if d.Growth, err = s.homeGrowthFor(c, me.ID); err != nil {
			return err
		}
		if c.QueryParam("saved") == "self" && status == http.StatusOK {
			d.Saved = "Self-assessment saved."
		}
	}
	if d.Meetings {
		page := max(1, atoiOr(c.QueryParam("page"), 1))
		since := open.Start()
		if me.ProgramID == nil {
			since = time.Time{}
		}
		n, err := s.DB.CountRecordedMeetings(ctx, me.ID, since)
		if err != nil {
			return err
		}
		d.ThisWindow = n
		ms, err := s.DB.ListMeetings(ctx, models.MeetingFilter{ResidentID: me.ID, RecordedSince: since,
			Limit: homeMeetingsPerPage + 1, Offset: (page - 1) * homeMeetingsPerPage})
		if err != nil {
			return err
		}
		d.Page = meetingsPage{Number: page}
		if len(ms) > homeMeetingsPerPage {
			ms = ms[:homeMeetingsPerPage]
			d.Page.NextURL = "/home?page=" + strconv.Itoa(page+1) + "#meetings-title"
		}
		if page > 1 {
			d.Page.PrevURL = "/home?page=" + strconv.Itoa(page-1) + "#meetings-title"
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

// atoiOr parses a positive query number, or gives def.
func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 1_000_000 {
		return n
	}
	return def
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
