package growth

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// SelfAssessmentInput is a resident's self-assessment of the current
// window.
type SelfAssessmentInput struct {
	Ratings map[string]*int `json:"ratings"` // required: every item key of the instrument; null = not applicable (only where the item allows it); 1..5 (the scale)
	Shared  *bool           `json:"shared"`  // absent keeps the current value (false for a new one)
}

// InstrumentRef names the instrument version a self-assessment rates on.
type InstrumentRef struct {
	Key     string `json:"key"`
	Version int    `json:"version"`
}

// SelfItem is one item of a self-assessment, in the resident's "I …"
// wording, with the resident's rating (null: not rated, or not applicable).
type SelfItem struct {
	Key                 string            `json:"key"`
	Attribute           surveys.Attribute `json:"attribute"`
	Statement           string            `json:"statement"`
	AllowsNotApplicable bool              `json:"allows_not_applicable"`
	Rating              *int              `json:"rating"`
}

// SelfAssessment is a window's self-assessment as its resident (or, when
// shared, their directors) sees it.
type SelfAssessment struct {
	Window     surveys.Window          `json:"window"`
	Instrument InstrumentRef           `json:"instrument"`
	Items      []SelfItem              `json:"items"`
	Submitted  bool                    `json:"submitted"`
	Editable   bool                    `json:"editable"` // the window is the current one
	Shared     bool                    `json:"shared"`
	UpdatedAt  *time.Time              `json:"updated_at"`
	Comparison *surveys.SelfComparison `json:"comparison"` // once the window has closed and it was submitted; nil otherwise
}

// SelfAssessment returns the resident's self-assessment of a window, or the
// empty form of one when nothing was saved. The resident sees theirs; their
// program's directors and admins only a shared one (not_found otherwise).
// A window not open yet is a conflict.
func (s *Service) SelfAssessment(ctx context.Context, a accounts.Actor, residentID int64, window string) (*SelfAssessment, error) {
	sub, err := s.resident(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	w, err := s.openedWindow(sub.prog, window)
	if err != nil {
		return nil, err
	}
	stored, err := s.db.SelfAssessmentFor(ctx, residentID, w.ID)
	switch {
	case surveys.ErrorCode(err) == surveys.ENOTFOUND && sub.self:
		stored = nil
	case err != nil && surveys.ErrorCode(err) != surveys.ENOTFOUND:
		return nil, err
	case err != nil || !sub.self && !stored.Shared:
		return nil, surveys.Errorf(surveys.ENOTFOUND, "resident %d has shared no self-assessment of window %s", residentID, w.ID)
	}
	out, err := s.selfView(ctx, sub, w, stored)
	if err != nil || sub.self {
		return out, err
	}
	err = s.viewed(ctx, a, sub, selfTarget(stored.ID), "shared self-assessment, window "+w.ID)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SelfAssessments lists the resident's saved self-assessments, newest
// window first. Their program's directors and admins see the shared ones
// only, and their look is audited.
func (s *Service) SelfAssessments(ctx context.Context, a accounts.Actor, residentID int64) ([]SelfAssessment, error) {
	sub, stored, err := s.storedSelfAssessments(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	out := []SelfAssessment{}
	for i := range stored {
		v, err := s.selfView(ctx, sub, s.storedWindow(sub.prog, stored[i].WindowID), &stored[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	if !sub.self {
		if err := s.viewed(ctx, a, sub, userTarget(residentID), fmt.Sprintf("shared self-assessments: %d", len(out))); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LatestComparison is the newest closed window's self-ratings beside the
// mentees' released figures (nil when no closed window was self-assessed),
// as SelfAssessments would list it first. Only that window's figures are
// computed, not one report per past window. Directors and admins see a
// shared one only, and their look is audited.
func (s *Service) LatestComparison(ctx context.Context, a accounts.Actor, residentID int64) (*surveys.SelfComparison, error) {
	sub, stored, err := s.storedSelfAssessments(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	var out *surveys.SelfComparison
	seen := "none"
	for i := range stored {
		w := s.storedWindow(sub.prog, stored[i].WindowID)
		if s.now().Before(w.End()) {
			continue
		}
		v, err := s.selfView(ctx, sub, w, &stored[i])
		if err != nil {
			return nil, err
		}
		out, seen = v.Comparison, "window "+w.ID
		break
	}
	if !sub.self {
		if err := s.viewed(ctx, a, sub, userTarget(residentID), "shared self-assessment comparison: "+seen); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// storedSelfAssessments checks access and lists what the actor may see
// of the resident's self-assessments: all for the resident, the shared
// ones for their program's directors and admins.
func (s *Service) storedSelfAssessments(ctx context.Context, a accounts.Actor, residentID int64) (*subject, []models.SelfAssessment, error) {
	sub, err := s.resident(ctx, a, residentID)
	if err != nil {
		return nil, nil, err
	}
	stored, err := s.db.SelfAssessmentsOf(ctx, residentID, !sub.self)
	return sub, stored, err
}

// storedWindow is the window a self-assessment was saved under; one saved
// under another window kind is named by its id alone.
func (s *Service) storedWindow(prog *models.Program, id string) surveys.Window {
	w, err := surveys.WindowOfMonth(id, prog.ReleaseWindow, prog.AcademicYearStartMonth)
	if err != nil || w.ID != id {
		return surveys.Window{ID: id, From: id, To: id}
	}
	return w
}

// SaveSelfAssessment stores the resident's self-assessment of the current
// window: a new one rates on the program's current instrument, an edit
// keeps the version first saved. Only the resident may, and only while
// the window is open.
func (s *Service) SaveSelfAssessment(ctx context.Context, a accounts.Actor, residentID int64, window string, in SelfAssessmentInput) (*SelfAssessment, error) {
	sub, err := s.resident(ctx, a, residentID)
	if err != nil {
		return nil, err
	}
	if !sub.self {
		return nil, surveys.Errorf(surveys.EFORBIDDEN, "only the resident rates themselves; a program's directors see a self-assessment the resident shares")
	}
	w, err := s.openedWindow(sub.prog, window)
	if err != nil {
		return nil, err
	}
	if !s.now().Before(w.End()) {
		return nil, surveys.Errorf(surveys.ECONFLICT,
			"window %s (%s) closed on %s; a self-assessment can be changed until its window closes, and the current window is %s",
			w.ID, w.Months(), w.End().Format(time.DateOnly), sub.prog.WindowOf(s.now()).ID)
	}
	var out *SelfAssessment
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		stored, err := s.db.SelfAssessmentFor(ctx, residentID, w.ID)
		if surveys.ErrorCode(err) == surveys.ENOTFOUND {
			stored, err = s.newSelfAssessment(ctx, sub, w)
		}
		if err != nil {
			return err
		}
		instrument, err := s.db.InstrumentFor(ctx, stored.InstrumentKey, stored.InstrumentVersion)
		if err != nil {
			return err
		}
		if err := checkRatings(instrument, in.Ratings); err != nil {
			return err
		}
		wasShared := stored.Shared
		stored.Ratings = in.Ratings
		if in.Shared != nil {
			stored.Shared = *in.Shared
		}
		if err := s.db.SaveSelfAssessment(ctx, stored); err != nil {
			return err
		}
		detail := fmt.Sprintf("window %s, instrument %s@%d", w.ID, stored.InstrumentKey, stored.InstrumentVersion)
		if err := s.audit(ctx, a, models.AuditEntry{Action: models.ActionSelfAssessmentSave, Target: selfTarget(stored.ID),
			ProgramID: &sub.prog.ID, Detail: detail}); err != nil {
			return err
		}
		if stored.Shared != wasShared {
			err := s.audit(ctx, a, models.AuditEntry{Target: selfTarget(stored.ID), ProgramID: &sub.prog.ID, Detail: "window " + w.ID,
				Action: shareAction(stored.Shared, models.ActionSelfAssessmentShare, models.ActionSelfAssessmentUnshare)})
			if err != nil {
				return err
			}
		}
		out, err = s.selfView(ctx, sub, w, stored)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// openedWindow reads a window id and refuses a window that has not begun.
func (s *Service) openedWindow(prog *models.Program, id string) (surveys.Window, error) {
	w, err := s.window(prog, id)
	if err != nil {
		return w, err
	}
	if now := s.now(); w.Start().After(now) {
		return w, surveys.Errorf(surveys.ECONFLICT, "window %s (%s) is not open yet; a self-assessment opens with its window, and the current window is %s",
			w.ID, w.Months(), prog.WindowOf(now).ID)
	}
	return w, nil
}

// newSelfAssessment is the unsaved self-assessment of a window, on the
// program's current instrument.
func (s *Service) newSelfAssessment(ctx context.Context, sub *subject, w surveys.Window) (*models.SelfAssessment, error) {
	in, err := s.db.ProgramInstrument(ctx, sub.prog)
	if err != nil {
		return nil, err
	}
	return &models.SelfAssessment{ResidentID: sub.user.ID, ProgramID: sub.prog.ID, WindowID: w.ID,
		InstrumentKey: in.Key, InstrumentVersion: in.Version}, nil
}

// selfView is a stored self-assessment (or, nil, the empty form of the
// window) with its items and, once the window has closed, the comparison
// with the mentees' released figures of that window.
func (s *Service) selfView(ctx context.Context, sub *subject, w surveys.Window, stored *models.SelfAssessment) (*SelfAssessment, error) {
	if stored == nil {
		var err error
		if stored, err = s.newSelfAssessment(ctx, sub, w); err != nil {
			return nil, err
		}
	}
	instrument, err := s.db.InstrumentFor(ctx, stored.InstrumentKey, stored.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	out := &SelfAssessment{Window: w, Instrument: InstrumentRef{Key: instrument.Key, Version: instrument.Version},
		Items: make([]SelfItem, 0, len(instrument.Items)), Submitted: stored.ID != 0, Shared: stored.Shared,
		Editable: w.ID == sub.prog.WindowOf(s.now()).ID}
	for _, it := range instrument.Items {
		out.Items = append(out.Items, SelfItem{Key: it.Key, Attribute: it.Attribute, Statement: it.SelfStatement(),
			AllowsNotApplicable: instrument.AllowsNotApplicable(it), Rating: stored.Ratings[it.Key]})
	}
	if out.Submitted {
		t := stored.UpdatedAt.UTC()
		out.UpdatedAt = &t
	}
	if out.Submitted && !s.now().Before(w.End()) {
		c, err := s.comparison(ctx, sub.user.ID, w, instrument, stored.Ratings)
		if err != nil {
			return nil, err
		}
		out.Comparison = c
	}
	return out, nil
}

// checkRatings holds ratings to the instrument: every item key once, each
// on the scale, null only where the item allows "not applicable".
func checkRatings(in *surveys.Instrument, ratings map[string]*int) error {
	if ratings == nil {
		return surveys.Invalid("the self-assessment is not valid", []surveys.FieldError{{Field: "ratings",
			Message: fmt.Sprintf("rate every item of the instrument: an object of item key to %d–%d, or null for not applicable", in.Scale.Min, in.Scale.Max)}})
	}
	var fields []surveys.FieldError
	known := map[string]bool{}
	for _, it := range in.Items {
		known[it.Key] = true
		v, ok := ratings[it.Key]
		switch {
		case !ok:
			fields = append(fields, surveys.FieldError{Field: "ratings." + it.Key, Message: "is missing: rate every item (null for not applicable, where the item allows it)"})
		case v == nil && !in.AllowsNotApplicable(it):
			fields = append(fields, surveys.FieldError{Field: "ratings." + it.Key,
				Message: fmt.Sprintf("must be rated from %d to %d; this item has no not-applicable choice", in.Scale.Min, in.Scale.Max)})
		case v != nil && (*v < in.Scale.Min || *v > in.Scale.Max):
			fields = append(fields, surveys.FieldError{Field: "ratings." + it.Key, Message: fmt.Sprintf("must be from %d to %d", in.Scale.Min, in.Scale.Max)})
		}
	}
	var unknown []string
	for k := range ratings {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		fields = append(fields, surveys.FieldError{Field: "ratings." + k,
			Message: fmt.Sprintf("is not an item of instrument %s version %d", in.Key, in.Version)})
	}
	if len(fields) > 0 {
		return surveys.Invalid("the self-assessment is not valid", fields)
	}
	return nil
}
