package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// editorPageData is a version's page: the editor's form for a draft, the
// document read-only for a published version.
type editorPageData struct {
	Nav      *navView
	Program  *models.Program
	Version  *accounts.InstrumentVersion
	Title    string
	ReadOnly bool
	Form     editorForm
	Doc      readOnlyDoc
	Previews []langLink
	// Notice confirms the last save or publish; Unsaved says the form
	// shown holds changes not yet saved.
	Notice  string
	Unsaved bool
}

// readOnlyDoc is a published version as a table.
type readOnlyDoc struct {
	Langs    []option
	Title    []string
	Items    []readOnlyItem
	Comments []readOnlyComment
}

type readOnlyItem struct {
	Number    int
	Key       string
	Attribute string
	Texts     []string
	SelfTexts []string // per language, "" where none
	NA        bool
}

type readOnlyComment struct {
	Key     string
	Prompts []string
	Max     int
}

func (s *Server) editorPage(c echo.Context) error {
	prog, v, err := s.instrumentVersion(c)
	if err != nil {
		return err
	}
	d := editorPageData{}
	switch c.QueryParam("done") {
	case "saved":
		d.Notice = "The draft is saved."
		if moved := c.QueryParams()["moved"]; len(moved) > 0 {
			d.Notice += " A statement moved to another attribute is a new question, so it has a new key: " + strings.Join(moved, ", ") + "."
		}
	case "published":
		d.Notice = "Version " + strconv.Itoa(v.Version) + " is published: survey links created from now on use it."
	}
	return s.renderEditor(c, http.StatusOK, prog, v, draftOf(v.Document), nil, nil, d)
}

// editorForm saves the draft, or carries out a button that changes the
// form (move, add, remove, languages) and shows it again unsaved.
func (s *Server) editorForm(c echo.Context) error {
	prog, v, err := s.instrumentVersion(c)
	if err != nil {
		return err
	}
	if v.Status != statusDraft {
		return surveys.Errorf(surveys.ECONFLICT, "version %d is published and can no longer change; make a new draft from it", v.Version)
	}
	draft := parseDraft(c.Request().PostForm)
	action := c.FormValue("action")
	if action != "save" {
		if !draft.apply(action, c.FormValue("add_attribute")) {
			return surveys.Errorf(surveys.EINVALID, "the form sent an unknown action; reload the page")
		}
		return s.renderEditor(c, http.StatusOK, prog, v, draft, nil, nil, editorPageData{Unsaved: true})
	}
	ctx := c.Request().Context()
	published, err := s.publishedKeys(c, prog.ID)
	if err != nil {
		return err
	}
	open, moved := draft.settleMeanings(published)
	if len(open) > 0 {
		return s.renderEditor(c, http.StatusUnprocessableEntity, prog, v, draft, nil, open, editorPageData{Unsaved: true})
	}
	_, err = s.Accounts.UpdateInstrumentDraft(ctx, httpkit.ActorOf(c), v.Key, v.Version, draft.Document(v.Key, v.Version))
	var ae *surveys.Error
	if errors.As(err, &ae) && ae.Code == surveys.EINVALID {
		fields := ae.Fields
		if len(fields) == 0 {
			fields = []surveys.FieldError{{Field: "document", Message: ae.Message}}
		}
		return s.renderEditor(c, http.StatusUnprocessableEntity, prog, v, draft, fields, nil, editorPageData{Unsaved: true})
	}
	if err != nil {
		return err
	}
	q := url.Values{"done": {"saved"}}
	if len(moved) > 0 {
		// Said once after the save: the key a moved statement now has.
		q["moved"] = moved
	}
	return c.Redirect(http.StatusSeeOther, editorPath(prog.ID, v.Key, v.Version)+"?"+q.Encode())
}

// publishedKeys are the item keys any published version the program sees
// asks (the default's and its own): rewording one of them asks whether the
// meaning changed.
func (s *Server) publishedKeys(c echo.Context, programID int64) (map[string]surveys.Attribute, error) {
	versions, err := s.Accounts.ListInstruments(c.Request().Context(), httpkit.ActorOf(c), programID)
	if err != nil {
		return nil, err
	}
	keys := map[string]surveys.Attribute{}
	for _, v := range versions {
		if v.Status != statusPublished {
			continue
		}
		for _, it := range v.Document.Items {
			keys[it.Key] = it.Attribute
		}
	}
	return keys, nil
}

func (s *Server) renderEditor(c echo.Context, status int, prog *models.Program, v *accounts.InstrumentVersion, draft editorDraft, errs []surveys.FieldError, asking []int, d editorPageData) error {
	d.Nav, d.Program, d.Version = s.nav(c), prog, v
	d.ReadOnly = v.Status != statusDraft
	d.Title = v.Document.Title[firstLang(v.Document)]
	for _, l := range v.Document.Languages {
		d.Previews = append(d.Previews, langLink{Code: l, Name: nativeName(l), Href: previewPath(prog.ID, v.Key, v.Version) + "?lang=" + l})
	}
	if d.ReadOnly {
		d.Doc = readOnlyOf(v.Document)
	} else {
		published, err := s.publishedKeys(c, prog.ID)
		if err != nil {
			return err
		}
		d.Form = editorView(draft, errs, asking, published)
	}
	return s.renderPage(c, status, "instrument", d)
}

func readOnlyOf(doc surveys.Document) readOnlyDoc {
	var r readOnlyDoc
	for _, l := range doc.Languages {
		r.Langs = append(r.Langs, option{Value: l, Label: nativeName(l)})
		r.Title = append(r.Title, doc.Title[l])
	}
	for i, it := range doc.Items {
		ri := readOnlyItem{Number: i + 1, Key: it.Key, Attribute: it.Attribute.Label(), NA: it.AllowNotApplicable}
		for _, l := range doc.Languages {
			ri.Texts = append(ri.Texts, it.Text[l])
			ri.SelfTexts = append(ri.SelfTexts, it.SelfText[l])
		}
		r.Items = append(r.Items, ri)
	}
	for _, cm := range doc.Comments {
		rc := readOnlyComment{Key: cm.Key, Max: cm.MaxLength}
		for _, l := range doc.Languages {
			rc.Prompts = append(rc.Prompts, cm.Prompt[l])
		}
		r.Comments = append(r.Comments, rc)
	}
	return r
}

// publishPageData is the confirmation before publishing.
type publishPageData struct {
	Nav     *navView
	Program *models.Program
	Version *accounts.InstrumentVersion
	Title   string
	Back    string
	Error   string
}

func (s *Server) publishPage(c echo.Context) error {
	prog, v, err := s.instrumentVersion(c)
	if err != nil {
		return err
	}
	if v.Status != statusDraft {
		return c.Redirect(http.StatusSeeOther, editorPath(prog.ID, v.Key, v.Version))
	}
	return s.renderPage(c, http.StatusOK, "instrument_publish", publishPageData{Nav: s.nav(c), Program: prog, Version: v,
		Title: v.Document.Title[firstLang(v.Document)], Back: editorPath(prog.ID, v.Key, v.Version)})
}

// publishForm publishes the draft; the use case validates it again, makes
// it current and audits it.
func (s *Server) publishForm(c echo.Context) error {
	prog, v, err := s.instrumentVersion(c)
	if err != nil {
		return err
	}
	if _, err := s.Accounts.PublishInstrument(c.Request().Context(), httpkit.ActorOf(c), v.Key, v.Version); err != nil {
		var ae *surveys.Error
		if errors.As(err, &ae) && (ae.Code == surveys.EINVALID || ae.Code == surveys.ECONFLICT) {
			msg := sentence(ae.Message)
			for _, fe := range ae.Fields {
				msg += " " + fe.Field + ": " + sentence(fe.Message)
			}
			return s.renderPage(c, http.StatusUnprocessableEntity, "instrument_publish", publishPageData{Nav: s.nav(c), Program: prog, Version: v,
				Title: v.Document.Title[firstLang(v.Document)], Back: editorPath(prog.ID, v.Key, v.Version), Error: msg})
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, editorPath(prog.ID, v.Key, v.Version)+"?done=published")
}
