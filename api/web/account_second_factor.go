package web

import "github.com/labstack/echo/v4"

// secondFactorSection is the data of the account page's second-factor
// partial (account-second-factor). Until the second factor exists there is
// nothing to show; its own file replaces this one.
func (s *Server) secondFactorSection(c echo.Context) (any, error) {
	return nil, nil
}
