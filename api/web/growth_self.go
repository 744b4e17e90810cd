package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// selfPageData is a resident's self-assessment of one window: the form
// while the window is open, the answers and the comparison with the
// mentees' view once it has closed.
type selfPageData struct {
	Nav    *navView
	Self   *growth.SelfAssessment
	Months string
	Scale  []scaleChoice
	Form   formState
	// Ratings are the values shown, by item key ("1"…"5", "na", "").
	Ratings    map[string]string
	Shared     bool
	Comparison *comparisonView
	Action     string
}

// scaleChoice is one radio button of the self-assessment's scale.
type scaleChoice struct {
	Value, Label string
}

// selfScale is the instrument's 1–5 agreement scale with its labels.
func selfScale() []scaleChoice {
	in := surveys.Default()
	var out []scaleChoice
	for v := in.Scale.Min; v <= in.Scale.Max; v++ {
		out = append(out, scaleChoice{Value: strconv.Itoa(v), Label: in.Scale.Labels[v]})
	}
	return out
}

func (s *Server) selfAssessmentPage(c echo.Context) error {
	return s.renderSelf(c, http.StatusOK, nil, formState{})
}

// renderSelf shows the self-assessment page; typed is what a failed POST
// sent (nil shows what is saved).
func (s *Server) renderSelf(c echo.Context, status int, typed map[string]string, f formState) error {
	me := httpkit.CurrentUser(c)
	window := c.Param("window")
	sa, err := s.Growth.SelfAssessment(c.Request().Context(), httpkit.ActorOf(c), me.ID, window)
	if err != nil {
		return err
	}
	d := selfPageData{Nav: s.nav(c), Self: sa, Months: windowMonths(sa.Window), Scale: selfScale(), Form: f,
		Ratings: map[string]string{}, Shared: sa.Shared, Action: "/home/self-assessment/" + sa.Window.ID}
	for _, it := range sa.Items {
		switch {
		case typed != nil:
			d.Ratings[it.Key] = typed[it.Key]
		case it.Rating != nil:
			d.Ratings[it.Key] = strconv.Itoa(*it.Rating)
		case sa.Submitted:
			d.Ratings[it.Key] = "na"
		}
	}
	if typed != nil {
		d.Shared = typed["shared"] == "on"
	}
	if sa.Comparison != nil {
		d.Comparison = newComparisonView(*sa.Comparison, true, "")
	}
	return s.renderPage(c, status, "self_assessment", d)
}

// selfAssessmentForm saves the form through growth.SaveSelfAssessment and
// goes home; a rating left out stays beside its statement.
func (s *Server) selfAssessmentForm(c echo.Context) error {
	me := httpkit.CurrentUser(c)
	window := c.Param("window")
	typed := map[string]string{"shared": c.FormValue("shared")}
	in := growth.SelfAssessmentInput{Ratings: map[string]*int{}}
	shared := c.FormValue("shared") == "on"
	in.Shared = &shared
	for key, vs := range c.Request().PostForm {
		k, ok := strings.CutPrefix(key, "rating.")
		if !ok || len(vs) == 0 {
			continue
		}
		typed[k] = vs[0]
		switch v := vs[0]; v {
		case "na":
			in.Ratings[k] = nil
		case "":
		default:
			n, err := strconv.Atoi(v)
			if err != nil {
				n = -1 // out of the scale: the use case says so
			}
			in.Ratings[k] = &n
		}
	}
	_, err := s.Growth.SaveSelfAssessment(c.Request().Context(), httpkit.ActorOf(c), me.ID, window, in)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/home?saved=self#self-title")
	}
	var ae *surveys.Error
	if !errors.As(err, &ae) || (ae.Code != surveys.EINVALID && ae.Code != surveys.ECONFLICT) {
		return err
	}
	f := formState{Errors: map[string]string{}}
	for _, fe := range ae.Fields {
		key, ok := strings.CutPrefix(fe.Field, "ratings.")
		if !ok {
			f.Summary = append(f.Summary, errorLink{Text: sentence(fe.Field + " " + fe.Message)})
			continue
		}
		msg := "Choose a rating, or not applicable where it is offered."
		if !strings.HasPrefix(fe.Message, "is required") && !strings.HasPrefix(fe.Message, "is missing") {
			msg = sentence(fe.Message)
		}
		f.Errors[key] = msg
		f.Summary = append(f.Summary, errorLink{Anchor: "self-" + key, Text: "Statement " + key + ": " + msg})
	}
	if len(ae.Fields) == 0 {
		f.Summary = append(f.Summary, errorLink{Text: sentence(ae.Message)})
	}
	status := http.StatusUnprocessableEntity
	if ae.Code == surveys.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderSelf(c, status, typed, f)
}

// windowMonths names a window by its months ("October–December 2026").
func windowMonths(w surveys.Window) string { return w.Months() }

// comparisonView is a self-assessment beside the mentees' view, worded for
// who reads it: the resident ("you") or a director ("Dr. X").
type comparisonView struct {
	Window     string
	Attributes []gapRow
	Items      []gapRow
	// Named lists the attributes with a credible gap.
	Named []string
}

// gapRow is one attribute or item of the comparison.
type gapRow struct {
	Label, Self, Mentees, Interval, Gap string
	Verdict, VerdictText                string
	Basis                               surveys.Basis
}

// newComparisonView words a comparison; own is true for the resident
// themselves, name the resident's name otherwise.
func newComparisonView(sc surveys.SelfComparison, own bool, name string) *comparisonView {
	v := &comparisonView{Window: sc.Window}
	row := func(g surveys.SelfGap) gapRow {
		r := gapRow{Label: g.Label, Self: num(g.Self), Mentees: num(g.Mentees), Interval: span(g.CI95), Verdict: g.Verdict, Basis: g.Basis}
		if g.Gap != nil {
			r.Gap = signed(*g.Gap)
		}
		r.VerdictText = gapText(g.Verdict, own, name)
		return r
	}
	for _, g := range sc.Attributes {
		v.Attributes = append(v.Attributes, row(g))
		if g.Verdict == surveys.BlindSpot || g.Verdict == surveys.HiddenStrength {
			v.Named = append(v.Named, g.Label)
		}
	}
	for _, g := range sc.Items {
		v.Items = append(v.Items, row(g))
	}
	return v
}

// gapText is a verdict in words.
func gapText(verdict string, own bool, name string) string {
	whose, they := "Your view", "you"
	if !own {
		whose, they = possessive(name)+" view", name
	}
	switch verdict {
	case surveys.BlindSpot:
		return "Blind spot: " + they + " rated this clearly higher than mentees did."
	case surveys.HiddenStrength:
		return "Hidden strength: mentees rated this clearly higher than " + they + " did."
	case surveys.ViewsMatch:
		return whose + " matches the mentees'."
	}
	return "Not enough released answers to compare."
}

// signed writes a difference with its sign: "+0.6", "−0.4".
func signed(x float64) string {
	s := strconv.FormatFloat(surveys.Round2(x), 'f', 2, 64)
	if x > 0 {
		return "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}
