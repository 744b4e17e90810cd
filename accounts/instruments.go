package accounts

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// A program owns one instrument key, ProgramInstrumentKey: its drafts and
// published versions are that key's versions 1, 2, … . The default
// instrument is built in, the shared starting point, and never changes
// (docs/instrument.md, "Versions").

// InstrumentVersion is one version as directors see it: the default or one
// of the program's own.
type InstrumentVersion struct {
	Key       string
	Version   int
	ProgramID *int64 // nil for the built-in default
	Status    string // "draft" or "published"
	// Current marks the version new links of the program use.
	Current     bool
	CreatedAt   time.Time
	PublishedAt *time.Time
	Document    surveys.Document
}

// ProgramInstrumentKey is the key of a program's own instrument.
func ProgramInstrumentKey(programID int64) string {
	return "program-" + strconv.FormatInt(programID, 10)
}

func instrumentTarget(key string, version int) string {
	return fmt.Sprintf("instrument:%s@%d", key, version)
}

// ListInstruments lists the default and the program's versions, newest
// first, marking the one new links use.
func (s *Service) ListInstruments(ctx context.Context, a Actor, programID int64) ([]InstrumentVersion, error) {
	prog, err := s.Program(ctx, a, programID, Manage)
	if err != nil {
		return nil, err
	}
	stored, err := s.db.ProgramInstrumentVersions(ctx, programID)
	if err != nil {
		return nil, err
	}
	out := make([]InstrumentVersion, 0, len(stored)+1)
	for i := range stored {
		v, err := versionOf(&stored[i], prog)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version > out[j].Version })
	return append(out, builtIn(surveys.Default(), prog)), nil
}

// CreateInstrumentDraft copies the default or one of the program's versions
// into the program's next draft. A program has one draft at a time: a
// second is a conflict.
func (s *Service) CreateInstrumentDraft(ctx context.Context, a Actor, programID int64, fromKey string, fromVersion int) (*InstrumentVersion, error) {
	prog, err := s.Program(ctx, a, programID, Manage)
	if err != nil {
		return nil, err
	}
	src, err := s.sourceDocument(ctx, a, prog, fromKey, fromVersion)
	if err != nil {
		return nil, err
	}
	return s.newDraft(ctx, a, prog, src, models.ActionInstrumentCreate, "copied from "+instrumentTarget(fromKey, fromVersion))
}

// ImportInstrumentDraft makes a shared document (another program's export,
// say) the program's next draft, under the program's own key.
func (s *Service) ImportInstrumentDraft(ctx context.Context, a Actor, programID int64, doc surveys.Document) (*InstrumentVersion, error) {
	prog, err := s.Program(ctx, a, programID, Manage)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("imported from a file naming %s@%d", doc.Key, doc.Version)
	return s.newDraft(ctx, a, prog, doc, models.ActionInstrumentImport, detail)
}

// InstrumentVersion returns a version the actor may see: the default for
// any director or admin, a program's own to that program's directors and
// admins.
func (s *Service) InstrumentVersion(ctx context.Context, a Actor, key string, version int) (*InstrumentVersion, error) {
	if !a.known() {
		return nil, errSignIn()
	}
	if in, err := surveys.Lookup(key, version); err == nil {
		if !a.Admin() && (a.user == nil || a.user.Role != models.RoleDirector) {
			return nil, surveys.Errorf(surveys.EFORBIDDEN, "only directors and admins edit instruments")
		}
		v := builtIn(in, nil)
		return &v, nil
	}
	stored, prog, err := s.storedVersion(ctx, a, key, version)
	if err != nil {
		return nil, err
	}
	return versionOf(stored, prog)
}

// UpdateInstrumentDraft replaces a draft's whole document. A published
// version is a conflict; an invalid document is refused with every problem
// and changes nothing. The document's key and version, when given, must be
// the draft's.
func (s *Service) UpdateInstrumentDraft(ctx context.Context, a Actor, key string, version int, doc surveys.Document) (*InstrumentVersion, error) {
	stored, prog, err := s.editable(ctx, a, key, version)
	if err != nil {
		return nil, err
	}
	if err := samePlace(&doc, key, version); err != nil {
		return nil, err
	}
	if errs := doc.Validate(); len(errs) > 0 {
		return nil, surveys.Invalid("the instrument needs another look", errs)
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.UpdateInstrumentDraft(ctx, doc); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionInstrumentUpdate, Target: instrumentTarget(key, version),
			ProgramID: stored.ProgramID, Detail: fmt.Sprintf("%d items, %d comment prompts", len(doc.Items), len(doc.Comments))})
	})
	if err != nil {
		return nil, err
	}
	return s.reload(ctx, key, version, prog)
}

// PublishInstrument validates a draft again, checks that none of its item
// keys is asked under another attribute elsewhere, publishes it and makes
// it the version new links of the program ask. Links made before keep
// theirs. A program publishes at most once per release window (see
// docs/privacy.md, "Instrument versions").
func (s *Service) PublishInstrument(ctx context.Context, a Actor, key string, version int) (*InstrumentVersion, error) {
	stored, prog, err := s.editable(ctx, a, key, version)
	if err != nil {
		return nil, err
	}
	doc, err := stored.Doc()
	if err != nil {
		return nil, err
	}
	in, err := doc.Instrument()
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.db.CheckItemKeys(ctx, in); err != nil {
			return err
		}
		if err := s.publishedThisWindow(ctx, prog); err != nil {
			return err
		}
		if err := s.db.PublishInstrumentVersion(ctx, key, version); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionInstrumentPublish, Target: instrumentTarget(key, version),
			ProgramID: &prog.ID, Detail: fmt.Sprintf("%d items; new links of the program ask it", len(in.Items))})
	})
	if err != nil {
		return nil, err
	}
	if prog, err = s.db.ProgramByID(ctx, prog.ID); err != nil {
		return nil, err
	}
	return s.reload(ctx, key, version, prog)
}

// publishedThisWindow refuses a second publish in one release window: each
// version splits the window's responses by when their links were made, so
// versions may change no faster than reports are released.
func (s *Service) publishedThisWindow(ctx context.Context, prog *models.Program) error {
	versions, err := s.db.ProgramInstrumentVersions(ctx, prog.ID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	current := prog.WindowOf(now)
	for _, v := range versions {
		if v.PublishedAt != nil && prog.WindowOf(*v.PublishedAt).ID == current.ID {
			return surveys.Errorf(surveys.ECONFLICT,
				"version %d was published in this release window; the next version can be published from %s, when the window closes",
				v.Version, current.End().Format(time.DateOnly))
		}
	}
	return nil
}

// sourceDocument is the document a new draft copies: a built-in version or
// one of the program's own. Another program's version is not_found, as if
// it did not exist.
func (s *Service) sourceDocument(ctx context.Context, a Actor, prog *models.Program, key string, version int) (surveys.Document, error) {
	if in, err := surveys.Lookup(key, version); err == nil {
		return surveys.DocumentOf(in), nil
	}
	v, err := s.db.InstrumentVersionByKey(ctx, key, version)
	if err != nil {
		return surveys.Document{}, err
	}
	if v.ProgramID == nil || *v.ProgramID != prog.ID {
		return surveys.Document{}, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %d does not exist", key, version)
	}
	return v.Doc()
}

// newDraft stores doc as the program's next version, with its audit entry.
func (s *Service) newDraft(ctx context.Context, a Actor, prog *models.Program, doc surveys.Document, action, detail string) (*InstrumentVersion, error) {
	key := ProgramInstrumentKey(prog.ID)
	var v *models.InstrumentVersion
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		versions, err := s.db.ProgramInstrumentVersions(ctx, prog.ID)
		if err != nil {
			return err
		}
		for _, o := range versions {
			if o.Status == models.InstrumentDraft {
				return surveys.Errorf(surveys.ECONFLICT, "version %d is still a draft; edit or publish it before starting another", o.Version)
			}
		}
		last, err := s.db.LastInstrumentVersion(ctx, key)
		if err != nil {
			return err
		}
		doc.Key, doc.Version = key, last+1
		if errs := doc.Validate(); len(errs) > 0 {
			return surveys.Invalid("the instrument needs another look", errs)
		}
		if v, err = s.db.CreateInstrumentVersion(ctx, prog.ID, doc); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: action, Target: instrumentTarget(key, doc.Version), ProgramID: &prog.ID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return versionOf(v, prog)
}

// storedVersion loads a stored version and its program, which the actor
// must manage: another program's version is not_found, a resident is
// forbidden.
func (s *Service) storedVersion(ctx context.Context, a Actor, key string, version int) (*models.InstrumentVersion, *models.Program, error) {
	v, err := s.db.InstrumentVersionByKey(ctx, key, version)
	if err != nil {
		return nil, nil, err
	}
	if v.ProgramID == nil {
		return nil, nil, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %d does not exist", key, version)
	}
	prog, err := s.Program(ctx, a, *v.ProgramID, Manage)
	if surveys.ErrorCode(err) == surveys.ENOTFOUND {
		return nil, nil, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %d does not exist", key, version)
	}
	if err != nil {
		return nil, nil, err
	}
	return v, prog, nil
}

// editable is storedVersion for a change: a built-in or published version
// is a conflict.
func (s *Service) editable(ctx context.Context, a Actor, key string, version int) (*models.InstrumentVersion, *models.Program, error) {
	if !a.known() {
		return nil, nil, errSignIn()
	}
	if _, err := surveys.Lookup(key, version); err == nil {
		if !a.Admin() && (a.user == nil || a.user.Role != models.RoleDirector) {
			return nil, nil, surveys.Errorf(surveys.EFORBIDDEN, "only directors and admins edit instruments")
		}
		return nil, nil, surveys.Errorf(surveys.ECONFLICT, "the default instrument never changes; create a draft from it to edit")
	}
	v, prog, err := s.storedVersion(ctx, a, key, version)
	if err != nil {
		return nil, nil, err
	}
	if v.Status != models.InstrumentDraft {
		return nil, nil, models.ErrInstrumentPublished
	}
	return v, prog, nil
}

// samePlace fills an omitted key and version from the path and refuses a
// document that names another version.
func samePlace(doc *surveys.Document, key string, version int) error {
	if doc.Key == "" {
		doc.Key = key
	}
	if doc.Version == 0 {
		doc.Version = version
	}
	var errs []surveys.FieldError
	if doc.Key != key {
		errs = append(errs, surveys.FieldError{Field: "key", Message: fmt.Sprintf("this draft is %s; the document says %s", key, doc.Key)})
	}
	if doc.Version != version {
		errs = append(errs, surveys.FieldError{Field: "version", Message: fmt.Sprintf("this draft is version %d; the document says %d", version, doc.Version)})
	}
	if len(errs) > 0 {
		return surveys.Invalid("the document is for another version", errs)
	}
	return nil
}

func (s *Service) reload(ctx context.Context, key string, version int, prog *models.Program) (*InstrumentVersion, error) {
	v, err := s.db.InstrumentVersionByKey(ctx, key, version)
	if err != nil {
		return nil, err
	}
	return versionOf(v, prog)
}

func versionOf(v *models.InstrumentVersion, prog *models.Program) (*InstrumentVersion, error) {
	doc, err := v.Doc()
	if err != nil {
		return nil, err
	}
	return &InstrumentVersion{
		Key: v.Key, Version: v.Version, ProgramID: v.ProgramID, Status: v.Status,
		Current:   prog != nil && prog.InstrumentKey != nil && *prog.InstrumentKey == v.Key && prog.InstrumentVersion != nil && *prog.InstrumentVersion == v.Version,
		CreatedAt: v.CreatedAt, PublishedAt: v.PublishedAt, Document: doc,
	}, nil
}

// builtIn describes a built-in version; current when prog (if any) asks
// no version of its own.
func builtIn(in *surveys.Instrument, prog *models.Program) InstrumentVersion {
	return InstrumentVersion{
		Key: in.Key, Version: in.Version, Status: models.InstrumentPublished,
		Current:  prog != nil && prog.InstrumentKey == nil && in == surveys.Default(),
		Document: surveys.DocumentOf(in),
	}
}
