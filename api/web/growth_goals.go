package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/growth"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// goalFields name the goal form's inputs for messages.
var goalFields = []formField{
	{Name: "target", ID: "goal-target", Label: "What to work on"},
	{Name: "text", ID: "goal-text", Label: "Your goal"},
	{Name: "actions", ID: "goal-actions", Label: "Actions"},
	{Name: "review_date", ID: "goal-review", Label: "Review date"},
	{Name: "outcome", ID: "goal-outcome", Label: "Outcome"},
	{Name: "reflection", ID: "goal-reflection", Label: "Reflection"},
}

// maxOwnActions is how many actions of their own the goal form offers
// inputs for, beside the suggestions.
const maxOwnActions = 2

// targetOption is one choice of what a goal works on.
type targetOption struct {
	Value, Label string
	Selected     bool
}

// targetGroup is an attribute and its items in the target list.
type targetGroup struct {
	Label   string
	Options []targetOption
}

// goalPageData is the new-goal form, or one goal with its progress, its
// edit form and its review form.
type goalPageData struct {
	Nav     *navView
	Goal    *growth.Goal
	Targets []targetGroup
	// Target is the chosen target ("attribute:availability", "item:A2"),
	// TargetLabel its words.
	Target, TargetLabel string
	// SetIn names the window the goal was set in by its first month.
	SetIn       string
	Suggestions []suggestionChoice
	Own         []string
	Form        formState
	Review      formState
	Progress    *progressView
	// Weakest says the target was picked as the lowest-rated question.
	Weakest       bool
	DefaultReview string
}

// suggestionChoice is a library suggestion as a checkbox.
type suggestionChoice struct {
	ID, Text, Source string
	Checked          bool
}

// progressView is a goal's before and after in words.
type progressView struct {
	Before, After         figureView
	Difference, Interval  string
	Verdict, VerdictText  string
	Improved, HasFigures  bool
	BeforeSpan, AfterSpan string
}

// figureView is one side of a goal's progress.
type figureView struct {
	Mean, Interval string
	Basis          surveys.Basis
}

func newProgressView(p surveys.GoalProgress) *progressView {
	v := &progressView{Verdict: p.Verdict, VerdictText: p.VerdictText, Improved: p.Verdict == surveys.Improved,
		Before:     figureView{Mean: num(p.Before.Mean), Interval: span(p.Before.CI95), Basis: p.Before.Basis},
		After:      figureView{Mean: num(p.After.Mean), Interval: span(p.After.CI95), Basis: p.After.Basis},
		BeforeSpan: periodWords(p.Before.Period), AfterSpan: periodWords(p.After.Period)}
	if p.Difference != nil {
		v.Difference, v.Interval, v.HasFigures = signed(*p.Difference), span(p.DifferenceCI95), true
	}
	return v
}

// periodWords names a period's months as people read them, "October
// 2025–September 2026", or "" for an empty period.
func periodWords(p surveys.Period) string {
	if p.From == "" {
		return ""
	}
	return surveys.Window{From: p.From, To: p.To}.Months()
}

// monthWords names a window by its first month, "October 2026" for the
// window id "2026-10".
func monthWords(id string) string { return periodWords(surveys.Period{From: id, To: id}) }

// targetChoices lists the attributes and the items of the resident's
// program's instrument, marking chosen.
func (s *Server) targetChoices(ctx context.Context, programID int64, chosen string) ([]targetGroup, string, error) {
	prog, err := s.DB.ProgramByID(ctx, programID)
	if err != nil {
		return nil, "", err
	}
	in, err := s.DB.ProgramInstrument(ctx, prog)
	if err != nil {
		return nil, "", err
	}
	var out []targetGroup
	label := ""
	for _, a := range surveys.Attributes {
		if a == surveys.Overall {
			continue
		}
		g := targetGroup{Label: a.Label()}
		opt := targetOption{Value: surveys.TargetAttribute + ":" + string(a), Label: a.Label() + " as a whole"}
		g.Options = append(g.Options, opt)
		for _, it := range in.Items {
			if it.Attribute == a {
				g.Options = append(g.Options, targetOption{Value: surveys.TargetItem + ":" + it.Key, Label: it.Text})
			}
		}
		for i := range g.Options {
			if g.Options[i].Value == chosen {
				g.Options[i].Selected, label = true, g.Options[i].Label
			}
		}
		out = append(out, g)
	}
	return out, label, nil
}

// parseTarget reads "item:A2" into a target.
func parseTarget(v string) surveys.GoalTarget {
	kind, key, _ := strings.Cut(v, ":")
	return surveys.GoalTarget{Kind: kind, Key: key}
}

func (s *Server) newGoalPage(c echo.Context) error {
	return s.renderNewGoal(c, http.StatusOK, c.QueryParam("target"), formState{})
}

// renderNewGoal shows the new-goal form for a target; without one, the
// resident's lowest-rated question (from their report) is proposed.
func (s *Server) renderNewGoal(c echo.Context, status int, target string, f formState) error {
	ctx := c.Request().Context()
	me := httpkit.CurrentUser(c)
	if me.ProgramID == nil {
		return surveys.Errorf(surveys.EFORBIDDEN, "only residents of a program set goals")
	}
	d := goalPageData{Nav: s.nav(c), Form: f}
	if target == "" {
		if rep, err := s.LoadResidentReport(c, me.ID); err == nil && rep.Focus.WeakestItem != nil {
			target, d.Weakest = surveys.TargetItem+":"+*rep.Focus.WeakestItem, true
		} else {
			target = surveys.TargetAttribute + ":" + string(surveys.Availability)
		}
	}
	groups, label, err := s.targetChoices(ctx, *me.ProgramID, target)
	if err != nil {
		return err
	}
	if label == "" { // an unknown target from the query: offer the list
		target, d.Weakest = "", false
	}
	d.Targets, d.Target, d.TargetLabel = groups, target, label
	checked := map[string]bool{}
	for _, a := range c.Request().PostForm["suggestion"] {
		checked[a] = true
	}
	for i, sg := range surveys.SuggestionsFor(parseTarget(target)) {
		d.Suggestions = append(d.Suggestions, suggestionChoice{ID: "sugg-" + strconv.Itoa(i), Text: sg.Text, Source: sg.Source, Checked: checked[sg.Text]})
	}
	d.Own = make([]string, maxOwnActions)
	copy(d.Own, c.Request().PostForm["own_action"])
	if d.Form.Values == nil {
		d.Form.Values = map[string]string{}
	}
	if w, err := s.Growth.CurrentWindow(ctx, me.ID); err == nil {
		prog, err := s.DB.ProgramByID(ctx, *me.ProgramID)
		if err != nil {
			return err
		}
		d.DefaultReview = w.Next(prog.ReleaseWindow, prog.AcademicYearStartMonth).End().AddDate(0, 0, -1).Format("2006-01-02")
	}
	if d.Form.Values["review_date"] == "" {
		d.Form.Values["review_date"] = d.DefaultReview
	}
	return s.renderPage(c, status, "goal_new", d)
}

// actionsOf collects a goal form's actions: the suggestions ticked, then
// the resident's own, blanks dropped.
func actionsOf(c echo.Context) []string {
	var out []string
	for _, v := range c.Request().PostForm["suggestion"] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	for _, v := range c.Request().PostForm["own_action"] {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// createGoalForm sets a goal through growth.CreateGoal. "Show
// suggestions" (change_target) only redraws the form for another target.
func (s *Server) createGoalForm(c echo.Context) error {
	target := c.FormValue("target")
	f := formState{Values: formValues(c, "text", "review_date", "shared")}
	if c.FormValue("change_target") != "" {
		return s.renderNewGoal(c, http.StatusOK, target, f)
	}
	in := growth.GoalInput{Target: parseTarget(target), Text: c.FormValue("text"), Actions: actionsOf(c)}
	if v := strings.TrimSpace(c.FormValue("review_date")); v != "" {
		in.ReviewDate = &v
	}
	shared := c.FormValue("shared") == "on"
	in.Shared = &shared
	g, err := s.Growth.CreateGoal(c.Request().Context(), httpkit.ActorOf(c), in)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/home/goals/"+strconv.FormatInt(g.ID, 10)+"?saved=1")
	}
	if !failForm(&f, err, goalFields, "target") {
		return err
	}
	status := http.StatusUnprocessableEntity
	if surveys.ErrorCode(err) == surveys.ECONFLICT {
		status = http.StatusConflict
	}
	return s.renderNewGoal(c, status, target, f)
}

// goalOf finds one of the signed-in resident's goals (another's is 404).
func (s *Server) goalOf(c echo.Context) (*growth.Goal, error) {
	id, err := httpkit.PathID(c, "id", "goal")
	if err != nil {
		return nil, err
	}
	me := httpkit.CurrentUser(c)
	goals, err := s.Growth.Goals(c.Request().Context(), httpkit.ActorOf(c), me.ID)
	if err != nil {
		return nil, err
	}
	for i := range goals {
		if goals[i].ID == id {
			return &goals[i], nil
		}
	}
	return nil, surveys.Errorf(surveys.ENOTFOUND, "goal %d does not exist", id)
}

func (s *Server) goalPage(c echo.Context) error {
	return s.renderGoal(c, http.StatusOK, formState{}, formState{})
}

func (s *Server) renderGoal(c echo.Context, status int, edit, review formState) error {
	g, err := s.goalOf(c)
	if err != nil {
		return err
	}
	d := goalPageData{Nav: s.nav(c), Goal: g, Form: edit, Review: review, Progress: newProgressView(g.Progress), TargetLabel: g.Target.Label,
		SetIn: monthWords(g.SetInWindow)}
	if d.Form.Values == nil {
		d.Form.Values = map[string]string{"text": g.Text, "review_date": g.ReviewDate, "actions": strings.Join(g.Actions, "\n")}
		if g.Shared {
			d.Form.Values["shared"] = "on"
		}
	}
	if d.Review.Values == nil {
		d.Review.Values = map[string]string{}
	}
	if c.QueryParam("saved") != "" && status == http.StatusOK {
		d.Form.Values["saved"] = "1"
	}
	return s.renderPage(c, status, "goal", d)
}

// updateGoalForm saves the goal's edit form: its words, actions (one per
// line), review date and sharing.
func (s *Server) updateGoalForm(c echo.Context) error {
	g, err := s.goalOf(c)
	if err != nil {
		return err
	}
	f := formState{Values: formValues(c, "text", "review_date", "actions", "shared")}
	text, review := c.FormValue("text"), strings.TrimSpace(c.FormValue("review_date"))
	var actions []string
	for _, l := range strings.Split(c.FormValue("actions"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			actions = append(actions, l)
		}
	}
	shared := c.FormValue("shared") == "on"
	in := growth.GoalChanges{Text: &text, Actions: &actions, ReviewDate: &review, Shared: &shared}
	if _, err = s.Growth.UpdateGoal(c.Request().Context(), httpkit.ActorOf(c), g.ID, in); err == nil {
		return c.Redirect(http.StatusSeeOther, "/home/goals/"+strconv.FormatInt(g.ID, 10)+"?saved=1")
	}
	if !failForm(&f, err, goalFields, "text") {
		return err
	}
	return s.renderGoal(c, http.StatusUnprocessableEntity, f, formState{})
}

// reviewGoalForm records the goal's outcome and reflection.
func (s *Server) reviewGoalForm(c echo.Context) error {
	g, err := s.goalOf(c)
	if err != nil {
		return err
	}
	f := formState{Values: formValues(c, "outcome", "reflection", "next_review")}
	in := growth.GoalChanges{}
	if v := c.FormValue("outcome"); v != "" {
		in.Outcome = &v
	} else {
		f.add(goalFields, "outcome", "Choose an outcome: achieved, continuing or dropped")
		return s.renderGoal(c, http.StatusUnprocessableEntity, formState{}, f)
	}
	r := c.FormValue("reflection")
	in.Reflection = &r
	if v := strings.TrimSpace(c.FormValue("next_review")); v != "" && *in.Outcome == "continuing" {
		in.ReviewDate = &v
	}
	if _, err = s.Growth.UpdateGoal(c.Request().Context(), httpkit.ActorOf(c), g.ID, in); err == nil {
		return c.Redirect(http.StatusSeeOther, "/home/goals/"+strconv.FormatInt(g.ID, 10)+"?saved=1")
	}
	if !failForm(&f, err, goalFields, "outcome") {
		return err
	}
	return s.renderGoal(c, http.StatusUnprocessableEntity, formState{}, f)
}
