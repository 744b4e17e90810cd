package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// The instrument pages of a program (issue 12): its versions, a version's
// editor or read-only view, its preview as a mentee sees it, and the
// publish confirmation. Every change goes through the accounts use cases,
// which check access, validate and audit.

// maxInstrumentForm bounds the editor's form and an imported file: fifteen
// items in two languages at 300 characters each, percent-encoded, fit
// several times over.
const maxInstrumentForm = 256 << 10

// instrumentsPageData is a program's list of versions.
type instrumentsPageData struct {
	Nav      *navView
	Program  *models.Program
	Versions []versionRow
	Import   formState
	Notice   string
}

// versionRow is one version in the list.
type versionRow struct {
	Key, Title, Status   string
	Version              int
	Current, Default     bool
	CreatedAt            string
	PublishedAt          string
	Href, Export         string
	Previews             []langLink
	Draft                bool
	ItemCount, LangCount int
}

var importDocFields = []formField{{Name: "file", ID: "import-file", Label: "File"}}

func (s *Server) instrumentsPage(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := instrumentsPageData{}
	if c.QueryParam("done") == "imported" {
		d.Notice = "The file is imported as a new draft."
	}
	return s.renderInstruments(c, http.StatusOK, prog, d)
}

func (s *Server) renderInstruments(c echo.Context, status int, prog *models.Program, d instrumentsPageData) error {
	versions, err := s.Accounts.ListInstruments(c.Request().Context(), httpkit.ActorOf(c), prog.ID)
	if err != nil {
		return err
	}
	d.Nav, d.Program = s.nav(c), prog
	for _, v := range versions {
		row := versionRow{Key: v.Key, Version: v.Version, Title: v.Document.Title[firstLang(v.Document)], Status: v.Status,
			Current: v.Current, Default: v.ProgramID == nil, Draft: v.Status == statusDraft, CreatedAt: v.CreatedAt.UTC().Format("2 Jan 2006"),
			Href: editorPath(prog.ID, v.Key, v.Version), ItemCount: len(v.Document.Items), LangCount: len(v.Document.Languages),
			Export: "/api/v1/instruments/" + url.PathEscape(v.Key) + "/versions/" + strconv.Itoa(v.Version) + "?download=1"}
		if v.PublishedAt != nil {
			row.PublishedAt = v.PublishedAt.UTC().Format("2 Jan 2006")
		}
		for _, l := range v.Document.Languages {
			row.Previews = append(row.Previews, langLink{Code: l, Name: nativeName(l), Href: previewPath(prog.ID, v.Key, v.Version) + "?lang=" + l})
		}
		d.Versions = append(d.Versions, row)
	}
	return s.renderPage(c, status, "instruments", d)
}

const (
	statusDraft     = "draft"
	statusPublished = "published"
)

func firstLang(doc surveys.Document) string {
	if len(doc.Languages) > 0 {
		return doc.Languages[0]
	}
	return surveys.SourceLanguage
}

// newDraftForm copies a version into the program's next draft and opens it.
func (s *Server) newDraftForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	from, _ := strconv.Atoi(c.FormValue("from_version"))
	v, err := s.Accounts.CreateInstrumentDraft(c.Request().Context(), httpkit.ActorOf(c), prog.ID, c.FormValue("from_key"), from)
	if err != nil {
		var ae *surveys.Error
		if errors.As(err, &ae) && ae.Code == surveys.ECONFLICT {
			d := instrumentsPageData{Notice: sentence(ae.Message)}
			return s.renderInstruments(c, http.StatusConflict, prog, d)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, editorPath(prog.ID, v.Key, v.Version))
}

// importDraftForm reads an uploaded document (the JSON a program exports)
// with the one strict decoder and makes it the program's next draft.
func (s *Server) importDraftForm(c echo.Context) error {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return err
	}
	d := instrumentsPageData{}
	fail := func(err error) error {
		if !failForm(&d.Import, err, importDocFields, "file") {
			return err
		}
		return s.renderInstruments(c, http.StatusUnprocessableEntity, prog, d)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return fail(surveys.Invalid("choose a file", []surveys.FieldError{{Field: "file", Message: "choose the instrument's JSON file"}}))
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, maxInstrumentForm))
	if err != nil {
		return err
	}
	var doc surveys.Document
	if err := surveys.DecodeJSON(body, &doc); err != nil {
		return fail(surveys.Invalid("the file is not an instrument", []surveys.FieldError{{Field: "file", Message: "this file is not an instrument document: " + err.Error()}}))
	}
	if _, err := s.Accounts.ImportInstrumentDraft(c.Request().Context(), httpkit.ActorOf(c), prog.ID, doc); err != nil {
		var ae *surveys.Error
		if errors.As(err, &ae) && ae.Code == surveys.EINVALID && len(ae.Fields) > 0 {
			// The file's own problems, each named by its field.
			for _, fe := range ae.Fields {
				d.Import.add(importDocFields, "", fe.Field+": "+fe.Message)
			}
			d.Import.add(importDocFields, "file", "the file has "+strconv.Itoa(len(ae.Fields))+" problems listed above; fix them and import it again")
			return s.renderInstruments(c, http.StatusUnprocessableEntity, prog, d)
		}
		return fail(err)
	}
	return c.Redirect(http.StatusSeeOther, instrumentsPath(prog.ID)+"?done=imported")
}

// instrumentVersion reads the program and the version of the path. A
// version of another program is 404, like a missing one.
func (s *Server) instrumentVersion(c echo.Context) (*models.Program, *accounts.InstrumentVersion, error) {
	prog, err := s.rosterProgram(c)
	if err != nil {
		return nil, nil, err
	}
	n, err := strconv.Atoi(c.Param("version"))
	if err != nil || n < 1 {
		return nil, nil, surveys.Errorf(surveys.ENOTFOUND, "instrument version %s does not exist", c.Param("version"))
	}
	v, err := s.Accounts.InstrumentVersion(c.Request().Context(), httpkit.ActorOf(c), c.Param("key"), n)
	if err != nil {
		return nil, nil, err
	}
	if v.ProgramID != nil && *v.ProgramID != prog.ID {
		return nil, nil, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %d does not exist", v.Key, v.Version)
	}
	return prog, v, nil
}

func (s *Server) previewPage(c echo.Context) error {
	prog, v, err := s.instrumentVersion(c)
	if err != nil {
		return err
	}
	inst, err := v.Document.Instrument()
	if err != nil {
		return err
	}
	lang := previewLang(inst, c.QueryParam("lang"))
	return s.renderPreview(c, http.StatusOK, prog, inst, v.Status == statusPublished, previewPath(prog.ID, v.Key, v.Version), lang, nil, nil, false)
}

// previewForm validates the answers as the survey does and shows the same
// errors; it stores nothing and logs nothing of them.
func (s *Server) previewForm(c echo.Context) error {
	prog, v, err := s.instrumentVersion(c)
	if err != nil {
		return err
	}
	inst, err := v.Document.Instrument()
	if err != nil {
		return err
	}
	lang := previewLang(inst, c.FormValue("lang"))
	form, fieldErrs, err := previewSubmit(c, inst.In(lang))
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(fieldErrs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderPreview(c, status, prog, inst, v.Status == statusPublished, previewPath(prog.ID, v.Key, v.Version), lang, form, fieldErrs, len(fieldErrs) == 0)
}
