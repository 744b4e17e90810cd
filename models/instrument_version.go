package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/mentorpulse/mentorpulse/surveys"
	"gorm.io/gorm"
)

// Instrument version statuses: a draft may change; a published version
// never does, and links can ask it.
const (
	InstrumentDraft     = "draft"
	InstrumentPublished = "published"
)

// InstrumentVersion is a stored instrument version (docs/instrument.md,
// "Versions"): its document as JSON.
type InstrumentVersion struct {
	Key         string `gorm:"primaryKey"`
	Version     int    `gorm:"primaryKey;autoIncrement:false"`
	ProgramID   *int64
	Status      string    `gorm:"not null"`
	Document    string    `gorm:"not null"`
	CreatedAt   time.Time `gorm:"not null"`
	PublishedAt *time.Time
}

// TableName is the table of instrument versions.
func (InstrumentVersion) TableName() string { return "instrument_versions" }

// Doc decodes the stored document.
func (v *InstrumentVersion) Doc() (surveys.Document, error) {
	var doc surveys.Document
	if err := json.Unmarshal([]byte(v.Document), &doc); err != nil {
		return doc, fmt.Errorf("decode instrument %s@%d: %w", v.Key, v.Version, err)
	}
	return doc, nil
}

// ErrInstrumentPublished refuses a change to a published version.
var ErrInstrumentPublished = surveys.Errorf(surveys.ECONFLICT,
	"this version is published and can no longer change; create a new draft from it to edit")

// CreateInstrumentVersion stores a new draft of doc for a program. A taken
// key and version, or a second draft of the key, is a conflict.
func (d *DB) CreateInstrumentVersion(ctx context.Context, programID int64, doc surveys.Document) (*InstrumentVersion, error) {
	body, err := json.Marshal(doc.Normalized())
	if err != nil {
		return nil, fmt.Errorf("encode instrument: %w", err)
	}
	v := &InstrumentVersion{Key: doc.Key, Version: doc.Version, ProgramID: &programID, Status: InstrumentDraft,
		Document: string(body), CreatedAt: d.now()}
	if err := d.db(ctx).Create(v).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, surveys.Errorf(surveys.ECONFLICT, "%s already has a draft or a version %d; edit or publish it first", doc.Key, doc.Version)
		}
		return nil, fmt.Errorf("create instrument version: %w", err)
	}
	return v, nil
}

// InstrumentVersionByKey returns one stored version; a built-in instrument
// is not stored and is not_found here.
func (d *DB) InstrumentVersionByKey(ctx context.Context, key string, version int) (*InstrumentVersion, error) {
	var v InstrumentVersion
	err := d.db(ctx).Where("key = ? AND version = ?", key, version).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %d does not exist", key, version)
	}
	if err != nil {
		return nil, fmt.Errorf("find instrument version: %w", err)
	}
	return &v, nil
}

// ProgramInstrumentVersions lists a program's stored versions, newest first.
func (d *DB) ProgramInstrumentVersions(ctx context.Context, programID int64) ([]InstrumentVersion, error) {
	var out []InstrumentVersion
	err := d.db(ctx).Where("program_id = ?", programID).Order("created_at DESC, version DESC").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("list instrument versions: %w", err)
	}
	return out, nil
}

// LastInstrumentVersion is the highest version stored under key, 0 when
// there is none.
func (d *DB) LastInstrumentVersion(ctx context.Context, key string) (int, error) {
	var n *int
	if err := d.db(ctx).Raw(`SELECT max(version) FROM instrument_versions WHERE key = ?`, key).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("last instrument version: %w", err)
	}
	if n == nil {
		return 0, nil
	}
	return *n, nil
}

// UpdateInstrumentDraft replaces a draft's document. A published version
// is ErrInstrumentPublished.
func (d *DB) UpdateInstrumentDraft(ctx context.Context, doc surveys.Document) error {
	body, err := json.Marshal(doc.Normalized())
	if err != nil {
		return fmt.Errorf("encode instrument: %w", err)
	}
	res := d.db(ctx).Exec(`UPDATE instrument_versions SET document = ? WHERE key = ? AND version = ? AND status = ?`,
		string(body), doc.Key, doc.Version, InstrumentDraft)
	if res.Error != nil {
		return fmt.Errorf("update instrument draft: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	if _, err := d.InstrumentVersionByKey(ctx, doc.Key, doc.Version); err != nil {
		return err
	}
	return ErrInstrumentPublished
}

// PublishInstrumentVersion publishes a draft and makes it the version new
// links of its program ask.
func (d *DB) PublishInstrumentVersion(ctx context.Context, key string, version int) error {
	now := d.now()
	res := d.db(ctx).Exec(`UPDATE instrument_versions SET status = ?, published_at = ? WHERE key = ? AND version = ? AND status = ?`,
		InstrumentPublished, now, key, version, InstrumentDraft)
	if res.Error != nil {
		return fmt.Errorf("publish instrument: %w", res.Error)
	}
	v, err := d.InstrumentVersionByKey(ctx, key, version)
	if err != nil {
		return err
	}
	if res.RowsAffected != 1 {
		return ErrInstrumentPublished
	}
	if v.ProgramID == nil {
		return nil
	}
	err = d.db(ctx).Exec(`UPDATE programs SET instrument_key = ?, instrument_version = ? WHERE id = ?`, key, version, *v.ProgramID).Error
	if err != nil {
		return fmt.Errorf("make instrument current: %w", err)
	}
	return nil
}

// ProgramInstrument returns the instrument new links of a program ask: its
// current published version, or the default.
func (d *DB) ProgramInstrument(ctx context.Context, p *Program) (*surveys.Instrument, error) {
	if p.InstrumentKey == nil || p.InstrumentVersion == nil {
		return surveys.Default(), nil
	}
	return d.InstrumentFor(ctx, *p.InstrumentKey, *p.InstrumentVersion)
}

// instrumentCache holds the published versions a database has handed out.
// Published versions never change, so an entry never goes stale. It is
// per database, not the surveys registry: keys such as "program-1" name
// different instruments in different databases (tests open many).
type instrumentCache struct {
	mu sync.RWMutex
	m  map[string]*surveys.Instrument
}

// InstrumentFor returns the instrument a link or a response names: a
// built-in one (surveys.Lookup) or a version published in this database,
// read once and kept, so a version another instance published is found on
// first use.
func (d *DB) InstrumentFor(ctx context.Context, key string, version int) (*surveys.Instrument, error) {
	if in, err := surveys.Lookup(key, version); err == nil {
		return in, nil
	}
	id := fmt.Sprintf("%s@%d", key, version)
	d.instruments.mu.RLock()
	in := d.instruments.m[id]
	d.instruments.mu.RUnlock()
	if in != nil {
		return in, nil
	}
	v, err := d.InstrumentVersionByKey(ctx, key, version)
	if err != nil {
		return nil, err
	}
	if v.Status != InstrumentPublished {
		return nil, surveys.Errorf(surveys.ENOTFOUND, "instrument %s version %d is not published", key, version)
	}
	doc, err := v.Doc()
	if err != nil {
		return nil, err
	}
	if in, err = doc.Instrument(); err != nil {
		return nil, fmt.Errorf("load instrument %s: %w", id, err)
	}
	d.instruments.mu.Lock()
	if d.instruments.m == nil {
		d.instruments.m = map[string]*surveys.Instrument{}
	}
	d.instruments.m[id] = in
	d.instruments.mu.Unlock()
	return in, nil
}

// PublishedInstruments lists every published version of the database, oldest
// first.
func (d *DB) PublishedInstruments(ctx context.Context) ([]*surveys.Instrument, error) {
	var refs []struct {
		Key     string
		Version int
	}
	err := d.db(ctx).Raw(`SELECT key, version FROM instrument_versions WHERE status = ? ORDER BY published_at, key, version`,
		InstrumentPublished).Scan(&refs).Error
	if err != nil {
		return nil, fmt.Errorf("list published instruments: %w", err)
	}
	out := make([]*surveys.Instrument, 0, len(refs))
	for _, r := range refs {
		in, err := d.InstrumentFor(ctx, r.Key, r.Version)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

// loadInstruments reads every published version at start-up, so a stored
// document that no longer loads fails the start, not a mentee's page.
func (d *DB) loadInstruments(ctx context.Context) error {
	_, err := d.PublishedInstruments(ctx)
	return err
}

// CheckItemKeys refuses in when one of its item keys is asked under another
// attribute by a built-in instrument or a version published here: tallies
// are kept per item key, so a changed meaning needs a new key.
func (d *DB) CheckItemKeys(ctx context.Context, in *surveys.Instrument) error {
	if err := surveys.CheckRegister(in); err != nil {
		return err
	}
	published, err := d.PublishedInstruments(ctx)
	if err != nil {
		return err
	}
	for _, other := range published {
		for _, it := range in.Items {
			if o, ok := other.Item(it.Key); ok && o.Attribute != it.Attribute {
				return surveys.Invalid("an item key keeps its attribute", []surveys.FieldError{{
					Field: "items." + it.Key,
					Message: fmt.Sprintf("%s is asked under %s in %s version %d; a statement that measures %s needs a new key",
						it.Key, o.Attribute, other.Key, other.Version, it.Attribute)}})
			}
		}
	}
	return nil
}

// ItemCatalogue lists the items of the built-in instruments and of every
// version published here, each key once: the texts and order of reports'
// per-item views.
func (d *DB) ItemCatalogue(ctx context.Context) ([]surveys.Item, error) {
	out := surveys.AllItems()
	seen := map[string]bool{}
	for _, it := range out {
		seen[it.Key] = true
	}
	published, err := d.PublishedInstruments(ctx)
	if err != nil {
		return nil, err
	}
	for _, in := range published {
		for _, it := range in.Items {
			if !seen[it.Key] {
				seen[it.Key] = true
				out = append(out, it)
			}
		}
	}
	return out, nil
}
