package api

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// invitationRequest is the body of POST /api/v1/invitations.
type invitationRequest struct {
	ResidentID    int64   `json:"resident_id" validate:"omitempty,min=1"`
	MeetingDate   *string `json:"meeting_date" validate:"omitempty,datetime=2006-01-02"`
	ExpiresInDays int     `json:"expires_in_days" validate:"omitempty,min=1,max=60"`
}

// createInvitation makes a survey link (see saveInvitation for who may). The
// survey URL is shown only here.
func (s *Server) createInvitation(c echo.Context) error {
	var req invitationRequest
	if err := bindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	inv, err := s.saveInvitation(c, req)
	if err != nil {
		return err
	}
	noStore(c)
	return c.JSON(http.StatusCreated, createdInvitationView{
		ID: inv.ID, ResidentID: inv.ResidentID, SurveyURL: s.surveyURL(inv.Token),
		ExpiresAt: apiTime(inv.ExpiresAt), Status: inv.Status,
	})
}

// residentAccess allows links and reports of a resident to: the resident,
// their program's directors, and admins. Other members of the program get
// 403; anyone outside it 404. It returns the resident's account.
func (s *Server) residentAccess(ctx context.Context, c echo.Context, residentID int64) (*models.User, error) {
	u, managed, err := s.userRelation(ctx, c, residentID)
	if err != nil {
		return nil, err
	}
	if currentPrincipal(c).User.ID != u.ID && !managed {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only the resident and their program's directors may see or make their links")
	}
	return u, nil
}

// maxInvitationList bounds GET /api/v1/invitations.
const maxInvitationList = 500

// listInvitations shows links' statuses: a resident their own, a director
// their programs', an admin all. Filters: resident_id, status.
func (s *Server) listInvitations(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	f := models.InvitationFilter{Status: c.QueryParam("status"), Limit: maxInvitationList}
	switch f.Status {
	case "", models.StatusPending, models.StatusCompleted, models.StatusExpired, models.StatusDeclined:
	default:
		return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "status", Message: "must be one of: pending, completed, expired, declined"}})
	}
	if q := c.QueryParam("resident_id"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "resident_id", Message: "must be a user id"}})
		}
		f.ResidentID = id
	} else if p.User.Role == models.RoleResident {
		f.ResidentID = p.User.ID
	}
	var invs []models.Invitation
	switch {
	case f.ResidentID != 0:
		if _, err := s.residentAccess(ctx, c, f.ResidentID); err != nil {
			return err
		}
		var err error
		if invs, err = s.db.ListInvitations(ctx, f); err != nil {
			return err
		}
	case p.isAdmin():
		var err error
		if invs, err = s.db.ListInvitations(ctx, f); err != nil {
			return err
		}
	default:
		for _, id := range p.Programs {
			f.ProgramID = id
			more, err := s.db.ListInvitations(ctx, f)
			if err != nil {
				return err
			}
			invs = append(invs, more...)
		}
		sort.SliceStable(invs, func(i, j int) bool { return invs[i].CreatedAt.After(invs[j].CreatedAt) })
		if len(invs) > maxInvitationList {
			invs = invs[:maxInvitationList]
		}
	}
	out := make([]invitationView, 0, len(invs))
	for _, inv := range invs {
		out = append(out, invitationView{ID: inv.ID, ResidentID: inv.ResidentID, MeetingDate: inv.MeetingDate,
			Status: inv.Status, ExpiresAt: apiTime(inv.ExpiresAt), CreatedAt: apiTime(inv.CreatedAt)})
	}
	return c.JSON(http.StatusOK, map[string]any{"invitations": out})
}
