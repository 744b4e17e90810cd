package httpkit

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// audit appends an entry in ctx's transaction, with the signed-in user as
// the actor unless the entry names one. Report views and exports call it
// the same way: s.Audit(ctx, c, models.AuditEntry{Action: "report.view", …}).
func (s *Kit) Audit(ctx context.Context, c echo.Context, e models.AuditEntry) error {
	if e.ActorID == nil {
		if u := CurrentUser(c); u != nil {
			e.ActorID = &u.ID
		}
	}
	return s.DB.Audit(ctx, e)
}

// pathID reads a numeric path parameter; anything else names nothing, so it
// is a 404 like any unknown id.
func PathID(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, surveys.Errorf(surveys.ENOTFOUND, "%s %s does not exist", what, c.Param(name))
	}
	return id, nil
}

func UserTarget(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

func ProgramTarget(id int64) string { return "program:" + strconv.FormatInt(id, 10) }

func TokenTarget(id int64) string { return "token:" + strconv.FormatInt(id, 10) }
