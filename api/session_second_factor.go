package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
)

// ProblemSecondFactorRequired and ProblemEnrolmentRequired are the problem
// types of a password sign-in that is not yet a session (docs/accounts.md,
// "Second factor").
const (
	ProblemSecondFactorRequired = "urn:mentorpulse:problem:second-factor-required"
	ProblemEnrolmentRequired    = "urn:mentorpulse:problem:second-factor-enrolment-required"
)

// secondFactorProblemBody is the problem with where to continue.
type secondFactorProblemBody struct {
	httpkit.Problem
	// Code is "second_factor_required" or "second_factor_enrolment_required".
	Code string `json:"code"`
	// Continue says how: the code route, or the enrolment page.
	Continue string `json:"continue"`
}

// secondFactorProblem answers a password sign-in that owes a second factor:
// 401, no session, the pending cookie set by CompleteSignIn.
func secondFactorProblem(c echo.Context, next httpkit.Next) error {
	b := secondFactorProblemBody{Problem: httpkit.Problem{Type: ProblemSecondFactorRequired, Title: "Second factor required",
		Status: http.StatusUnauthorized,
		Detail: "the password was right; send a code from your authenticator app (or a recovery code) as POST /api/v1/session/second-factor {\"code\"} with the cookie this response sets"},
		Code: "second_factor_required", Continue: "POST /api/v1/session/second-factor"}
	if next == httpkit.NextEnrol {
		b.Type, b.Title, b.Code, b.Continue = ProblemEnrolmentRequired, "Second factor enrolment required", "second_factor_enrolment_required", httpkit.EnrolPath
		b.Detail = "your program requires a second factor and this account has none; sign in on the web page to set one up (" + httpkit.EnrolPath + ")"
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	return c.JSON(http.StatusUnauthorized, b)
}

// secondFactorRequest is the body of POST /api/v1/session/second-factor.
type secondFactorRequest struct {
	Code string `json:"code" validate:"required,max=64,text"`
}

// submitSecondFactor is the JSON code step: a TOTP or recovery code for the
// pending sign-in, then the session as POST /api/v1/session gives it.
func (s *Server) submitSecondFactor(c echo.Context) error {
	var req secondFactorRequest
	if err := httpkit.BindJSON(c, &req, 4<<10); err != nil {
		return err
	}
	u, sess, err := s.SubmitSecondFactor(c, req.Code)
	if err != nil {
		return err
	}
	httpkit.NoStore(c)
	return c.JSON(http.StatusOK, sessionView{User: newUserView(u), CSRFToken: sess.CSRFToken})
}

// resetSecondFactor is an admin's reset of a user's second factor
// (accounts.ResetSecondFactor): 204, the user's sessions ended and an
// email queued.
func (s *Server) resetSecondFactor(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "user")
	if err != nil {
		return err
	}
	if _, err := s.Accounts.ResetSecondFactor(c.Request().Context(), httpkit.ActorOf(c), id); err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.NoContent(http.StatusNoContent)
}
