package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/api/httpkit"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// maxInstrumentBody bounds a document: fifteen items in two languages with
// room to spare.
const maxInstrumentBody = 64 << 10

// registerInstrumentRoutes registers the instrument versions of programs
// (docs/instrument.md). Access is the use cases': a program's directors
// and admins; a resident is forbidden, another program not_found.
func (s *Server) registerInstrumentRoutes(v1 *echo.Group) {
	auth := s.APIAuth()
	v1.GET("/programs/:id/instruments", s.listInstruments, auth...)
	v1.POST("/programs/:id/instruments", s.createInstrument, auth...)
	v1.GET("/instruments/:key/versions/:n", s.getInstrumentVersion, auth...)
	v1.PUT("/instruments/:key/versions/:n", s.updateInstrumentDraft, auth...)
	v1.POST("/instruments/:key/versions/:n/publish", s.publishInstrument, auth...)
}

// instrumentSummary is a version in the list, without its document.
type instrumentSummary struct {
	Key         string            `json:"key"`
	Version     int               `json:"version"`
	ProgramID   *int64            `json:"program_id"`
	Status      string            `json:"status"`
	Current     bool              `json:"current"`
	Title       map[string]string `json:"title"`
	Items       int               `json:"items"`
	CreatedAt   *time.Time        `json:"created_at"`
	PublishedAt *time.Time        `json:"published_at"`
}

// instrumentView is one version with its document.
type instrumentView struct {
	instrumentSummary
	Document surveys.Document `json:"document"`
}

func newInstrumentSummary(v *accounts.InstrumentVersion) instrumentSummary {
	var created *time.Time
	if !v.CreatedAt.IsZero() {
		created = httpkit.APITimePtr(&v.CreatedAt)
	}
	return instrumentSummary{Key: v.Key, Version: v.Version, ProgramID: v.ProgramID, Status: v.Status, Current: v.Current,
		Title: v.Document.Title, Items: len(v.Document.Items), CreatedAt: created, PublishedAt: httpkit.APITimePtr(v.PublishedAt)}
}

func newInstrumentView(v *accounts.InstrumentVersion) instrumentView {
	return instrumentView{instrumentSummary: newInstrumentSummary(v), Document: v.Document}
}

func (s *Server) listInstruments(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	vs, err := s.Accounts.ListInstruments(c.Request().Context(), httpkit.ActorOf(c), id)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	out := make([]instrumentSummary, len(vs))
	for i := range vs {
		out[i] = newInstrumentSummary(&vs[i])
	}
	return c.JSON(http.StatusOK, map[string]any{"instruments": out})
}

// newInstrumentRequest starts a draft from a version (from) or from a
// shared file (document); exactly one of them.
type newInstrumentRequest struct {
	From *struct {
		Key     string `json:"key"`
		Version int    `json:"version"`
	} `json:"from"`
	Document json.RawMessage `json:"document"`
}

func (s *Server) createInstrument(c echo.Context) error {
	id, err := httpkit.PathID(c, "id", "program")
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), httpkit.ActorOf(c)
	var in newInstrumentRequest
	access := func() error { _, err := s.Accounts.Program(ctx, a, id, accounts.Manage); return err }
	if err := bindDocument(c, &in, access); err != nil {
		return httpkit.AccountsError(c, err)
	}
	var v *accounts.InstrumentVersion
	switch {
	case (in.From == nil) == (in.Document == nil):
		if err := access(); err != nil {
			return httpkit.AccountsError(c, err)
		}
		return surveys.Invalid("say where the draft comes from", []surveys.FieldError{{Field: "from",
			Message: `send either "from": {"key", "version"} to copy a version, or "document" to import a file`}})
	case in.From != nil:
		v, err = s.Accounts.CreateInstrumentDraft(ctx, a, id, in.From.Key, in.From.Version)
	default:
		doc, derr := surveys.DecodeDocument(in.Document)
		if derr != nil {
			return httpkit.AccountsError(c, prefixFields(derr, "document."))
		}
		v, err = s.Accounts.ImportInstrumentDraft(ctx, a, id, doc)
		err = prefixFields(err, "document.")
	}
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusCreated, newInstrumentView(v))
}

// versionPath reads {key} and {n}; a version that is not a number does
// not exist.
func versionPath(c echo.Context) (string, int, error) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		return "", 0, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %s does not exist", c.Param("key"), c.Param("n"))
	}
	return c.Param("key"), n, nil
}

// getInstrumentVersion answers a version with its document, or with
// ?download=1 the document alone as a file to share.
func (s *Server) getInstrumentVersion(c echo.Context) error {
	key, n, err := versionPath(c)
	if err != nil {
		return err
	}
	v, err := s.Accounts.InstrumentVersion(c.Request().Context(), httpkit.ActorOf(c), key, n)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	if c.QueryParam("download") == "1" {
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-v%d.json"`, v.Key, v.Version))
		return c.JSON(http.StatusOK, v.Document)
	}
	return c.JSON(http.StatusOK, newInstrumentView(v))
}

// updateInstrumentDraft replaces a draft's document: the body is the
// document itself.
func (s *Server) updateInstrumentDraft(c echo.Context) error {
	key, n, err := versionPath(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), httpkit.ActorOf(c)
	access := func() error { _, err := s.Accounts.InstrumentVersion(ctx, a, key, n); return err }
	body, err := httpkit.ReadJSONBody(c, maxInstrumentBody)
	var doc surveys.Document
	if err == nil {
		doc, err = surveys.DecodeDocument(body)
	}
	if err != nil {
		if aerr := access(); aerr != nil {
			return httpkit.AccountsError(c, aerr)
		}
		return err
	}
	v, err := s.Accounts.UpdateInstrumentDraft(ctx, a, key, n, doc)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusOK, newInstrumentView(v))
}

func (s *Server) publishInstrument(c echo.Context) error {
	key, n, err := versionPath(c)
	if err != nil {
		return err
	}
	v, err := s.Accounts.PublishInstrument(c.Request().Context(), httpkit.ActorOf(c), key, n)
	if err != nil {
		return httpkit.AccountsError(c, err)
	}
	return c.JSON(http.StatusOK, newInstrumentView(v))
}

// prefixFields names an embedded document's fields from the request's top
// ("document.items[2].key").
func prefixFields(err error, prefix string) error {
	var e *surveys.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]surveys.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		out.Fields[i] = surveys.FieldError{Field: prefix + f.Field, Message: f.Message}
	}
	return &out
}

// bindDocument is bindInput with room for a document.
func bindDocument(c echo.Context, in any, access func() error) error {
	return bindLimited(c, maxInstrumentBody, in, access)
}
