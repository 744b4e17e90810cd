package surveys

import (
	"maps"
	"strconv"
)

// An instrument is written in its source language (Languages[0], English
// for the default) and may carry translations. A mentee answers in one of
// the languages their program offers; the answers are the same whatever
// the language, so reports pool them.

// SourceLanguage is the language the default instrument is written in.
const SourceLanguage = "en"

// Translation is an instrument's texts in one more language: keyed like
// the instrument's own (items and comment prompts by key, scale labels by
// value). A text missing from a translation is a validation error, never a
// silent fallback (Instrument.CheckTranslations).
type Translation struct {
	Title string            `json:"title"`
	Items map[string]string `json:"items"`
	// SelfItems are the items' self-assessment wordings (Item.SelfText)
	// by key; optional, as in the source language.
	SelfItems     map[string]string `json:"self_items,omitempty"`
	Labels        map[int]string    `json:"labels"`
	NotApplicable string            `json:"not_applicable"`
	Prompts       map[string]string `json:"prompts"`
}

// Langs lists the languages the instrument can be answered in, its source
// language first.
func (in *Instrument) Langs() []string {
	out := []string{in.Source()}
	for _, l := range in.Languages {
		if l != out[0] && in.Translations[l] != nil {
			out = append(out, l)
		}
	}
	return out
}

// Source is the instrument's source language.
func (in *Instrument) Source() string {
	if len(in.Languages) > 0 {
		return in.Languages[0]
	}
	return SourceLanguage
}

// In returns the instrument as a mentee answering in lang sees it: a copy
// with that language's texts, or the instrument itself for its source
// language or a language it has no translation for. Keys, attributes and
// the scale's values never change with the language.
func (in *Instrument) In(lang string) *Instrument {
	t := in.Translations[lang]
	if t == nil || lang == in.Source() {
		return in
	}
	out := *in
	out.Title = t.Title
	out.Items = make([]Item, len(in.Items))
	for i, it := range in.Items {
		it.Text = t.Items[it.Key]
		it.SelfText = t.SelfItems[it.Key]
		out.Items[i] = it
	}
	out.Scale.Labels = maps.Clone(t.Labels)
	out.NotApplicable = t.NotApplicable
	out.Comments = make([]CommentPrompt, len(in.Comments))
	for i, c := range in.Comments {
		c.Prompt = t.Prompts[c.Key]
		out.Comments[i] = c
	}
	out.lang = lang
	return &out
}

// Lang is the language of the instrument's texts as returned by In.
func (in *Instrument) Lang() string {
	if in.lang != "" {
		return in.lang
	}
	return in.Source()
}

// NotApplicableText is the label of the "no answer" choice in the
// instrument's language.
func (in *Instrument) NotApplicableText() string {
	if in.NotApplicable != "" {
		return in.NotApplicable
	}
	return NotApplicableLabel
}

// CheckTranslations reports every text missing or empty in a language the
// instrument declares, as field errors a person can act on
// ("translations.es.items.A1: the Spanish text is empty").
func (in *Instrument) CheckTranslations() []FieldError {
	var errs []FieldError
	miss := func(field, what, lang string) {
		errs = append(errs, FieldError{Field: field, Message: what + " has no text in " + LanguageName(lang)})
	}
	for _, lang := range in.Languages {
		if lang == in.Source() {
			continue
		}
		t := in.Translations[lang]
		base := "translations." + lang
		if t == nil {
			errs = append(errs, FieldError{Field: base, Message: "the instrument offers " + LanguageName(lang) + " but has no texts in it"})
			continue
		}
		if t.Title == "" {
			miss(base+".title", "the title", lang)
		}
		for _, it := range in.Items {
			if t.Items[it.Key] == "" {
				miss(base+".items."+it.Key, "item "+it.Key, lang)
			}
		}
		for v := in.Scale.Min; v <= in.Scale.Max; v++ {
			if t.Labels[v] == "" {
				miss(base+".labels."+itoa(v), "the scale label for "+itoa(v), lang)
			}
		}
		if in.Scale.AllowNotApplicable && t.NotApplicable == "" {
			miss(base+".not_applicable", "the \u201cnot applicable\u201d choice", lang)
		}
		for _, c := range in.Comments {
			if t.Prompts[c.Key] == "" {
				miss(base+".prompts."+c.Key, "comment prompt "+c.Key, lang)
			}
		}
	}
	return errs
}

// LanguageName names a language code in English, for staff messages.
func LanguageName(code string) string {
	switch code {
	case "en":
		return "English"
	case "es":
		return "Spanish"
	}
	return code
}

func itoa(v int) string { return strconv.Itoa(v) }
