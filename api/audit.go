package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// listAudit shows the audit log, newest first: to an admin everything (or
// one program's entries with program_id), to a director their programs'
// entries. Residents may not read it. Paging: before=<id>, limit (≤ 1000).
func (s *Server) listAudit(c echo.Context) error {
	p := httpkit.CurrentPrincipal(c)
	if p.User.Role == models.RoleResident {
		return surveys.Errorf(surveys.EFORBIDDEN, "only directors and administrators may read the audit log")
	}
	var f models.AuditFilter
	if q := c.QueryParam("program_id"); q != "" {
		id, err := strconv.ParseInt(q, 10, 64)
		if err != nil || id <= 0 {
			return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "program_id", Message: "must be a program id"}})
		}
		if _, err := s.ProgramAccess(c, id, accounts.Manage); err != nil {
			return err
		}
		f.ProgramIDs = []int64{id}
	} else if !p.Actor().Admin() {
		f.ProgramIDs = p.Programs
		if len(f.ProgramIDs) == 0 {
			return c.JSON(http.StatusOK, map[string]any{"entries": []auditView{}})
		}
	}
	if q := c.QueryParam("before"); q != "" {
		v, err := strconv.ParseInt(q, 10, 64)
		if err != nil || v < 0 {
			return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "before", Message: "must be an entry id"}})
		}
		f.BeforeID = v
	}
	if q := c.QueryParam("limit"); q != "" {
		v, err := strconv.Atoi(q)
		if err != nil || v < 1 || v > 1000 {
			return surveys.Invalid("the request has invalid fields", []surveys.FieldError{{Field: "limit", Message: "must be from 1 to 1000"}})
		}
		f.Limit = v
	}
	rows, err := s.DB.AuditLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := make([]auditView, 0, len(rows))
	for _, r := range rows {
		out = append(out, auditView{ID: r.ID, CreatedAt: httpkit.APITime(r.CreatedAt), ActorID: r.ActorID, ActorEmail: r.ActorEmail, Actor: r.Actor,
			Action: r.Action, Target: r.Target, ProgramID: r.ProgramID, Detail: r.Detail})
	}
	return c.JSON(http.StatusOK, map[string]any{"entries": out})
}
