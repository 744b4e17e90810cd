package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/skip2/go-qrcode"
)

// homeLinkLimit bounds the list of links on the resident's home; the counts
// above it cover every link.
const homeLinkLimit = 50

// defaultLinkDays fills the "expires in" field; its bounds are accounts'.
const defaultLinkDays = int(models.DefaultLinkLifetime / (24 * time.Hour))

// homePageData is the resident's home: the record-a-meeting and new-link
// forms, their recorded meetings' delivery and their links' statuses (never
// a token, never a mentee's email).
type homePageData struct {
	Nav                       *navView
	Form                      formState
	MinDays, MaxDays, Default int
	Counts                    models.LinkCounts
	Links                     []models.Invitation
	Shown, Total              int
	// Meetings is on when meetings can be recorded (delivery is set up).
	Meetings bool
	Record   formState
	Today    string
	// MaxDate is the latest meeting date the server accepts: tomorrow in
	// UTC, for time zones ahead of it.
	MaxDate string
	// Recorded confirms the meeting just recorded with an email.
	Recorded string
	Recent   []deliveryRow
}

// homeForms is the state of the home page's forms after a POST.
type homeForms struct {
	Link, Record formState
}

// linkPageData is the page shown once after a link is made: its URL and QR
// code, for the mentee to scan at the end of the meeting.
type linkPageData struct {
	Nav          *navView
	ResidentName string
	SurveyURL    string
	QRCode       []byte // PNG
	MeetingDate  *string
	ExpiresAt    time.Time
}

var newLinkFields = []formField{
	{Name: "meeting_date", ID: "meeting_date", Label: "Meeting date"},
	{Name: "expires_in_days", ID: "expires_in_days", Label: "Days the link stays open"},
}

func (s *Server) homePage(c echo.Context) error {
	return s.renderHome(c, http.StatusOK, homeForms{})
}

func (s *Server) renderHome(c echo.Context, status int, forms homeForms) error {
	ctx := c.Request().Context()
	me := httpkit.CurrentUser(c)
	counts, err := s.DB.CountLinks(ctx, models.InvitationFilter{ResidentID: me.ID})
	if err != nil {
		return err
	}
	links, err := s.DB.ListInvitations(ctx, models.InvitationFilter{ResidentID: me.ID, Limit: homeLinkLimit})
	if err != nil {
		return err
	}
	d := homePageData{Nav: s.nav(c), Form: forms.Link, MinDays: accounts.MinLinkLifetimeDays, MaxDays: accounts.MaxLinkLifetimeDays, Default: defaultLinkDays,
		Counts: counts[me.ID], Links: links, Shown: len(links), Total: counts[me.ID].Total(),
		Meetings: s.Cfg.Delivery != nil, Record: forms.Record, Today: s.DB.Now().UTC().Format(time.DateOnly),
		MaxDate: s.DB.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)}
	if d.Form.Values == nil {
		d.Form.Values = map[string]string{"expires_in_days": strconv.Itoa(defaultLinkDays)}
	}
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
	}
	return s.renderPage(c, status, "home", d)
}

// newLinkForm makes a link for the signed-in resident and shows it at once.
// The page is the POST's own response, never a redirect: the token must not
// appear in a URL that a proxy, a log or the browser's history could keep.
func (s *Server) newLinkForm(c echo.Context) error {
	f := formState{Values: formValues(c, "meeting_date", "expires_in_days")}
	var in accounts.NewInvitation
	if v := strings.TrimSpace(c.FormValue("meeting_date")); v != "" {
		in.MeetingDate = &v
	}
	days, set, msg := formInt(c, "expires_in_days")
	switch {
	case msg != "":
		f.add(newLinkFields, "expires_in_days", msg)
	case set && days <= 0:
		// The API reads 0 as "the default"; a typed 0 is a mistake.
		f.add(newLinkFields, "expires_in_days", fmt.Sprintf("must be from %d to %d", accounts.MinLinkLifetimeDays, accounts.MaxLinkLifetimeDays))
	case set:
		in.ExpiresInDays = &days
	}
	err := s.Accounts.Check(in)
	if err == nil && !f.HasErrors() {
		var inv *accounts.CreatedInvitation
		if inv, err = s.Accounts.CreateInvitation(c.Request().Context(), httpkit.ActorOf(c), in); err == nil {
			return s.renderLinkPage(c, inv.SurveyURL, inv.Invitation.MeetingDate, inv.Invitation.ExpiresAt)
		}
	}
	if err != nil && !failForm(&f, err, newLinkFields, "") {
		return err
	}
	return s.renderHome(c, http.StatusUnprocessableEntity, homeForms{Link: f})
}

// qrPNG draws a survey URL's QR code here, so the URL never leaves the
// server for a QR service.
func qrPNG(url string) ([]byte, error) {
	// Medium error correction survives a smudged or glare-struck screen;
	// 512 px stays sharp when the page scales it up to fill a phone.
	png, err := qrcode.Encode(url, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("draw QR code: %w", err)
	}
	return png, nil
}
