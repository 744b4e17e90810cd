package surveys

import (
	"fmt"
	"sort"
	"sync"
)

// Attribute is one of the mentor attributes the instrument measures.
type Attribute string

// The measured attributes, in report order.
const (
	Availability      Attribute = "availability"
	Competence        Attribute = "competence"
	AltruisticSupport Attribute = "altruistic_support"
	Overall           Attribute = "overall"
)

// Attributes lists the attributes in the order reports show them.
var Attributes = []Attribute{Availability, Competence, AltruisticSupport, Overall}

// Label is the human name of an attribute.
func (a Attribute) Label() string {
	switch a {
	case Availability:
		return "Availability"
	case Competence:
		return "Competence"
	case AltruisticSupport:
		return "Altruistic support"
	case Overall:
		return "Overall"
	}
	return string(a)
}

// Item is one rated statement.
type Item struct {
	Key       string    `json:"key"`
	Attribute Attribute `json:"attribute"`
	Text      string    `json:"text"`
	// SelfText is the statement in the resident's own voice ("I …"), for
	// their self-assessment on the same instrument; empty when the
	// instrument gives none (SelfStatement falls back to Text).
	// It is not part of the instrument a mentee is sent.
	SelfText string `json:"-"`
	// NoNotApplicable withholds the "not applicable" choice from this item
	// even when the scale offers it: a statement every meeting can answer.
	NoNotApplicable bool `json:"no_not_applicable,omitempty"`
}

// AllowsNotApplicable reports whether the item may be answered "not
// applicable" (null) in in.
func (in *Instrument) AllowsNotApplicable(it Item) bool {
	return in.Scale.AllowNotApplicable && !it.NoNotApplicable
}

// CommentPrompt is one optional free-text question.
type CommentPrompt struct {
	Key       string `json:"key"`
	Prompt    string `json:"prompt"`
	MaxLength int    `json:"max_length"`
}

// Scale is the agreement scale used by every rated item.
type Scale struct {
	Min                int            `json:"min"`
	Max                int            `json:"max"`
	Labels             map[int]string `json:"labels"`
	AllowNotApplicable bool           `json:"allow_not_applicable"`
}

// NotApplicableLabel is shown for the "no answer" choice; it is stored as null.
const NotApplicableLabel = "Not applicable / didn't come up"

// Instrument is a versioned questionnaire. Responses record the key and
// version they answered, so a later version never changes old reports.
type Instrument struct {
	Key      string          `json:"key"`
	Version  int             `json:"version"`
	Title    string          `json:"-"`
	Scale    Scale           `json:"scale"`
	Items    []Item          `json:"items"`
	Comments []CommentPrompt `json:"comments"`
	// Languages are the languages it can be answered in, the source
	// language first; Translations hold the texts of the others
	// (language.go). NotApplicable is the "no answer" label in the
	// source language ("" for NotApplicableLabel).
	Languages     []string                `json:"-"`
	Translations  map[string]*Translation `json:"-"`
	NotApplicable string                  `json:"-"`
	lang          string
}

// Comment keys: the default instrument's two, and a third a program's
// instrument may ask ("up to three optional comment prompts").
const (
	CommentKeepDoing = "keep_doing"
	CommentNextTime  = "next_time"
	CommentOther     = "other"
)

// DefaultKey and DefaultVersion name the instrument new links use.
const (
	DefaultKey     = "resident-mentor"
	DefaultVersion = 1
)

var residentMentorV1 = &Instrument{
	Key:     DefaultKey,
	Version: 1,
	Title:   "Resident mentor feedback",
	Scale: Scale{
		Min: 1, Max: 5,
		Labels: map[int]string{
			1: "Strongly disagree",
			2: "Disagree",
			3: "Neutral",
			4: "Agree",
			5: "Strongly agree",
		},
		AllowNotApplicable: true,
	},
	Items: []Item{
		{Key: "A1", Attribute: Availability, Text: "My mentor made enough time for this meeting; it did not feel rushed.",
			SelfText: "I made enough time for meetings with my mentees; they did not feel rushed."},
		{Key: "A2", Attribute: Availability, Text: "I know how to reach my mentor between meetings and expect a timely reply.",
			SelfText: "My mentees know how to reach me between meetings, and I reply in good time."},
		{Key: "C1", Attribute: Competence, Text: "My mentor's advice was accurate and relevant to my situation.",
			SelfText: "My advice was accurate and relevant to each mentee's situation."},
		{Key: "C2", Attribute: Competence, Text: "My mentor helped me turn my goals into concrete next steps.",
			SelfText: "I helped my mentees turn their goals into concrete next steps."},
		{Key: "C3", Attribute: Competence, Text: "My mentor's feedback was specific and constructive.",
			SelfText: "My feedback to my mentees was specific and constructive."},
		{Key: "S1", Attribute: AltruisticSupport, Text: "My mentor seemed genuinely invested in my success and well-being.",
			SelfText: "I showed my mentees that I am genuinely invested in their success and well-being."},
		{Key: "S2", Attribute: AltruisticSupport, Text: "I felt safe raising concerns such as workload, stress or personal issues.",
			SelfText: "My mentees could safely raise concerns with me, such as workload, stress or personal issues."},
		{Key: "S3", Attribute: AltruisticSupport, Text: "My mentor respected my own definition of success rather than imposing theirs.",
			SelfText: "I respected each mentee's own definition of success rather than imposing mine."},
		{Key: "G", Attribute: Overall, Text: "Overall, this meeting was worth my time.",
			SelfText: "Overall, my meetings were worth my mentees' time."},
	},
	Comments: []CommentPrompt{
		{CommentKeepDoing, "One thing your mentor did well", 1000},
		{CommentNextTime, "One thing that would make the next meeting more useful", 1000},
	},
	Languages:    []string{"en", "es"},
	Translations: map[string]*Translation{"es": residentMentorV1Spanish},
}

// residentMentorV1Spanish is a careful translation, to be reviewed locally
// before use; docs/instrument.md lists the translator's choices (tú, the
// "mentor/a" form, phrasing that needs no gender agreement for the mentee).
var residentMentorV1Spanish = &Translation{
	Title: "Opinión sobre la mentoría de residentes",
	Items: map[string]string{
		"A1": "Mi mentor/a dedicó suficiente tiempo a esta reunión; no fue apresurada.",
		"A2": "Sé cómo comunicarme con mi mentor/a entre reuniones y confío en recibir respuesta a tiempo.",
		"C1": "Los consejos de mi mentor/a fueron acertados y pertinentes para mi situación.",
		"C2": "Mi mentor/a me ayudó a convertir mis objetivos en próximos pasos concretos.",
		"C3": "Los comentarios de mi mentor/a sobre mi desempeño fueron específicos y constructivos.",
		"S1": "Sentí que a mi mentor/a le importaban de verdad mi éxito y mi bienestar.",
		"S2": "Sentí que podía plantear con confianza inquietudes como la carga de trabajo, el estrés o asuntos personales.",
		"S3": "Mi mentor/a respetó mi propia idea de lo que es el éxito, en lugar de imponerme la suya.",
		"G":  "En general, esta reunión valió el tiempo que le dediqué.",
	},
	Labels: map[int]string{
		1: "Totalmente en desacuerdo",
		2: "En desacuerdo",
		3: "Ni de acuerdo ni en desacuerdo",
		4: "De acuerdo",
		5: "Totalmente de acuerdo",
	},
	NotApplicable: "No aplica / no se trató",
	Prompts: map[string]string{
		CommentKeepDoing: "Algo que tu mentor/a hizo bien",
		CommentNextTime:  "Algo que haría más útil la próxima reunión",
	},
}

// registry guards instruments: versions published in the database are
// registered while requests look instruments up.
var registry sync.RWMutex

var instruments = map[string]*Instrument{
	instrumentID(DefaultKey, 1): residentMentorV1,
}

func instrumentID(key string, version int) string { return fmt.Sprintf("%s@%d", key, version) }

// Register adds an instrument version. The built-in versions are in this
// file; the database registers published versions (models) and tests
// register versions that do not exist yet. It refuses a version that is
// already registered (ErrRegistered) and an item whose key another
// instrument asks under another attribute (item_keys.go). It is safe for
// concurrent use.
func Register(in *Instrument) error {
	registry.Lock()
	defer registry.Unlock()
	id := instrumentID(in.Key, in.Version)
	if _, ok := instruments[id]; ok {
		return fmt.Errorf("register instrument: %s: %w", id, ErrRegistered)
	}
	if err := checkItemAttributes(in); err != nil {
		return fmt.Errorf("register instrument: %w", err)
	}
	instruments[id] = in
	return nil
}

// ErrRegistered is Register's error for a version already registered.
var ErrRegistered = Errorf(ECONFLICT, "this instrument version is already registered")

// CheckRegister reports what Register would refuse in, without registering
// it: the item key rule, for a version about to be published.
func CheckRegister(in *Instrument) error {
	registry.RLock()
	defer registry.RUnlock()
	if _, ok := instruments[instrumentID(in.Key, in.Version)]; ok {
		return ErrRegistered
	}
	if err := checkItemAttributes(in); err != nil {
		return Invalid("an item key keeps its attribute", []FieldError{{Field: "items", Message: err.Error()}})
	}
	return nil
}

// Default returns the instrument that new links use.
func Default() *Instrument { return residentMentorV1 }

// Lookup returns the instrument with the given key and version.
func Lookup(key string, version int) (*Instrument, error) {
	registry.RLock()
	in, ok := instruments[instrumentID(key, version)]
	registry.RUnlock()
	if !ok {
		return nil, Errorf(ENOTFOUND, "instrument %s version %d does not exist", key, version)
	}
	return in, nil
}

// Item returns the item with the given key.
func (in *Instrument) Item(key string) (Item, bool) {
	for _, it := range in.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// ItemsFor returns the items that measure an attribute.
func (in *Instrument) ItemsFor(a Attribute) []Item {
	var out []Item
	for _, it := range in.Items {
		if it.Attribute == a {
			out = append(out, it)
		}
	}
	return out
}

// AllItems lists the items of every registered instrument, each key once,
// ordered by "key@version" and then by position. That order changes when a
// version sorts before another ("@10" before "@2"), so nothing stored may
// depend on it. A key keeps its attribute across versions.
func AllItems() []Item {
	registry.RLock()
	defer registry.RUnlock()
	ids := make([]string, 0, len(instruments))
	for id := range instruments {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	seen := map[string]bool{}
	var out []Item
	for _, id := range ids {
		for _, it := range instruments[id].Items {
			if !seen[it.Key] {
				seen[it.Key] = true
				out = append(out, it)
			}
		}
	}
	return out
}
