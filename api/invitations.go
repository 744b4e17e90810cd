package api

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// createInvitation makes a survey link (see accounts.Service.CreateInvitation
// for who may). The survey URL is shown only here.
func (s *Server) createInvitation(c echo.Context) error {
	var in accounts.NewInvitation
	if err := bindInput(c, &in, nil); err != nil {
		return err
	}
	inv, err := s.Accounts.CreateInvitation(c.Request().Context(), httpkit.ActorOf(c), in)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusCreated, createdInvitationView{
		ID: inv.Invitation.ID, ResidentID: inv.Invitation.ResidentID, SurveyURL: inv.SurveyURL,
		ExpiresAt: httpkit.APITime(inv.Invitation.ExpiresAt), Status: inv.Invitation.Status,
	})
}

// maxInvitationList bounds GET /api/v1/invitations.
const maxInvitationList = 500

// listInvitations shows links' statuses: a resident their own, a director
// their programs', an admin all. Filters: resident_id, status.
func (s *Server) listInvitations(c echo.Context) error {
	p := httpkit.CurrentPrincipal(c)
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
		if _, err := s.ResidentAccess(c, f.ResidentID); err != nil {
			return err
		}
		var err error
		if invs, err = s.DB.ListInvitations(ctx, f); err != nil {
			return err
		}
	case p.Actor().Admin():
		var err error
		if invs, err = s.DB.ListInvitations(ctx, f); err != nil {
			return err
		}
	default:
		for _, id := range p.Programs {
			f.ProgramID = id
			more, err := s.DB.ListInvitations(ctx, f)
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
			Status: inv.Status, ExpiresAt: httpkit.APITime(inv.ExpiresAt), CreatedAt: httpkit.APITime(inv.CreatedAt)})
	}
	return c.JSON(http.StatusOK, map[string]any{"invitations": out})
}
