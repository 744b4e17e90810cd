package api

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/models"
)

// navView is the header of every signed-in page: who is signed in, the
// links their role needs, and the sign-out form (POST /logout with the
// session's CSRF token). Pages put it in their data as Nav and show it
// with {{define "nav"}}{{template "usernav" .Nav}}{{end}}.
type navView struct {
	Name      string
	Role      string
	Links     []navLink
	CSRFToken string
}

// navLink is one header link; Current marks the page being shown.
type navLink struct {
	Href, Label string
	Current     bool
}

// nav builds the header for the signed-in user, or nil when nobody is.
// The feedback dashboard and program reports (issue 4) live at /dashboard
// and /programs/{id}/report.
func (s *Server) nav(c echo.Context) *navView {
	p := currentPrincipal(c)
	if p == nil {
		return nil
	}
	v := &navView{Name: p.User.Name, Role: roleLabel(p.User), CSRFToken: csrfToken(c)}
	switch {
	case p.isAdmin():
		v.Links = []navLink{{Href: "/admin/programs", Label: "Programs"}}
	case p.User.Role == models.RoleResident:
		v.Links = []navLink{{Href: "/home", Label: "Survey links"}, {Href: "/dashboard", Label: "My feedback"}}
	case len(p.Programs) == 1:
		id := strconv.FormatInt(p.Programs[0], 10)
		v.Links = []navLink{{Href: rosterPath(p.Programs[0]), Label: "Roster"}, {Href: "/programs/" + id + "/report", Label: "Report"}}
	default:
		v.Links = []navLink{{Href: "/programs", Label: "Programs"}}
	}
	// A page's forms post below it (/home/links, /programs/1/roster/…):
	// the header still shows where the user is.
	path := c.Request().URL.Path
	for i := range v.Links {
		v.Links[i].Current = path == v.Links[i].Href || strings.HasPrefix(path, v.Links[i].Href+"/")
	}
	return v
}

func roleLabel(u *models.User) string {
	switch u.Role {
	case models.RoleAdmin:
		return "Administrator"
	case models.RoleDirector:
		return "Program director"
	}
	if u.PGYYear != nil {
		return "Resident, PGY-" + strconv.Itoa(*u.PGYYear)
	}
	return "Resident"
}
