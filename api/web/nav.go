package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
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

// navLink is one header link; Current marks the page being shown: Href,
// a page below it (unless exact), or one also matches.
type navLink struct {
	Href, Label string
	Current     bool
	exact       bool
	also        func(path string) bool
}

// nav builds the header for the signed-in user, or nil when nobody is.
// The feedback dashboard and program reports (issue 4) live at /dashboard
// and /programs/{id}/report.
func (s *Server) nav(c echo.Context) *navView {
	p := httpkit.CurrentPrincipal(c)
	if p == nil {
		return nil
	}
	v := &navView{Name: p.User.Name, Role: roleLabel(p.User), CSRFToken: httpkit.CSRFToken(c)}
	switch {
	case p.Actor().Admin():
		// An admin reaches a program's roster and instruments from
		// "Programs", its reports from "Reports".
		v.Links = []navLink{{Href: "/admin/programs", Label: "Programs", also: isProgramPage(false)},
			{Href: "/programs", Label: "Reports", exact: true, also: isProgramPage(true)}, {Href: "/admin/status", Label: "System status"}}
	case p.User.Role == models.RoleResident:
		v.Links = []navLink{{Href: "/home", Label: "Home"}, {Href: "/dashboard", Label: "My feedback"}}
	case len(p.Programs) == 1:
		id := strconv.FormatInt(p.Programs[0], 10)
		v.Links = []navLink{{Href: rosterPath(p.Programs[0]), Label: "Roster"}, {Href: "/programs/" + id + "/report", Label: "Report"}}
	default:
		v.Links = []navLink{{Href: "/programs", Label: "Programs"}}
	}
	v.Links = append(v.Links, navLink{Href: "/account", Label: "Account"})
	// A page's forms post below it (/home/links, /programs/1/roster/…):
	// the header still shows where the user is.
	path := c.Request().URL.Path
	for i := range v.Links {
		l := &v.Links[i]
		l.Current = path == l.Href || !l.exact && strings.HasPrefix(path, l.Href+"/") || l.also != nil && l.also(path)
	}
	return v
}

// isProgramPage matches the pages below /programs/{id}/ (and a resident's
// report, /residents/{id}/report): the reports when reports is true, every
// other program page when not.
func isProgramPage(reports bool) func(path string) bool {
	return func(path string) bool {
		rest, ok := strings.CutPrefix(path, "/programs/")
		if !ok {
			return reports && strings.HasPrefix(path, "/residents/") && strings.HasSuffix(path, "/report")
		}
		_, page, ok := strings.Cut(rest, "/")
		if !ok {
			return false
		}
		return reports == (page == "report" || strings.HasPrefix(page, "report/"))
	}
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

// rootPage sends a browser where it belongs: the sign-in page, the code
// step or enrolment of a sign-in waiting for its second factor, or the
// signed-in user's home.
func (s *Server) rootPage(c echo.Context) error {
	p := httpkit.CurrentPrincipal(c)
	if p == nil {
		if pending, _, err := s.PendingSignIn(c); err == nil {
			return c.Redirect(http.StatusSeeOther, httpkit.PendingPath(pending))
		}
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return c.Redirect(http.StatusSeeOther, homeOf(p))
}

// homeOf is the first page a user sees: a resident's links, a director's
// roster (or a choice of programs when they lead several), the admin's
// programs.
func homeOf(p *httpkit.Principal) string {
	switch {
	case p.Actor().Admin():
		return "/admin/programs"
	case p.User.Role == models.RoleResident:
		return "/home"
	case len(p.Programs) == 1:
		return rosterPath(p.Programs[0])
	}
	return "/programs"
}

func rosterPath(programID int64) string {
	return "/programs/" + strconv.FormatInt(programID, 10) + "/roster"
}

// programsPage lets a director who leads several programs choose one, and
// leads an admin to every program's report and roster.
func (s *Server) programsPage(c echo.Context) error {
	p := httpkit.CurrentPrincipal(c)
	d := programsPageData{Nav: s.nav(c), Title: "Your programs"}
	if p.Actor().Admin() {
		ps, err := s.DB.Programs(c.Request().Context())
		if err != nil {
			return err
		}
		d.Title, d.Programs, d.All = "Programs' reports", ps, true
		return s.renderPage(c, http.StatusOK, "programs", d)
	}
	for _, id := range p.Programs {
		prog, err := s.DB.ProgramByID(c.Request().Context(), id)
		if err != nil {
			return err
		}
		d.Programs = append(d.Programs, *prog)
	}
	return s.renderPage(c, http.StatusOK, "programs", d)
}

// programsPageData lists the programs a director leads.
type programsPageData struct {
	Nav      *navView
	Title    string
	Programs []models.Program
	// All says the list is every program (an admin's), not the ones led.
	All bool
}

// forbiddenPage says whose page a signed-in user has opened (a resident on
// a director's roster, report or instruments, a director on the admin's
// pages) and leads them back to their own home. route is the route's
// pattern. Every page a resident may be refused is a director's or an
// admin's: their own are refused only to other roles.
func forbiddenPage(page *messagePage, p *httpkit.Principal, route string) {
	page.Title = "Not allowed"
	if p == nil {
		return
	}
	page.BackURL, page.BackLabel = homeOf(p), "Back to your pages"
	switch {
	case p.User.Role == models.RoleResident:
		page.Title = "Only program directors can see this"
		page.Detail = "This page is for your program's directors and administrators. Your survey links and your own feedback are on your pages."
	case p.User.Role == models.RoleDirector && strings.HasPrefix(route, "/admin/"):
		page.Title = "Only administrators can see this"
		page.Detail = "This page is for Mentorpulse's administrators. Your programs' rosters and reports are on your pages."
	}
	page.Hint = "You are signed in as " + p.User.Name + " (" + roleLabel(p.User) + ")."
}
