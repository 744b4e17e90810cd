package surveys

// Document is an instrument version as programs edit, exchange and store
// it (docs/instrument.md, "The document"): JSON, every text keyed by
// language. It is the body of GET/PUT /api/v1/instruments/{key}/versions/{n}
// and the file a program exports and imports.
type Document struct {
	Key     string `json:"key"`
	Version int    `json:"version"`
	// Languages the instrument can be answered in, its source language
	// first; every text below has an entry for each.
	Languages []string          `json:"languages"`
	Title     map[string]string `json:"title"`
	Scale     DocumentScale     `json:"scale"`
	Items     []DocumentItem    `json:"items"`
	Comments  []DocumentComment `json:"comments"`
}

// DocumentScale is the 1–5 agreement scale: a label per value per
// language, and the "not applicable" choice's label per language.
type DocumentScale struct {
	Labels        map[string]map[int]string `json:"labels"`
	NotApplicable map[string]string         `json:"not_applicable"`
}

// DocumentItem is one rated statement.
type DocumentItem struct {
	Key       string            `json:"key"`
	Attribute Attribute         `json:"attribute"`
	Text      map[string]string `json:"text"`
	// SelfText is the statement in the resident's own voice for their
	// self-assessment ("I made enough time …"), per language. Optional;
	// when present it needs the source language, and other declared
	// languages may follow.
	SelfText map[string]string `json:"self_text,omitempty"`
	// AllowNotApplicable offers "not applicable" for this item.
	AllowNotApplicable bool `json:"allow_not_applicable"`
}

// DocumentComment is one optional free-text question.
type DocumentComment struct {
	Key       string            `json:"key"`
	Prompt    map[string]string `json:"prompt"`
	MaxLength int               `json:"max_length"`
}
