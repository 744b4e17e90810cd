package web

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// The editor is one plain form (no JavaScript): every button posts the
// whole draft, and the buttons that move, add or remove an item change the
// form shown again without saving. Only "Save draft" calls the use case.
// The form's own state (an item's key and source text as loaded, and the
// answer to "Did the meaning change?") rides in hidden fields and radios.

// editorLanguages are the languages an instrument can offer, in the
// order the editor lists them.
var editorLanguages = []string{"en", "es"}

// maxComments is how many comment prompts an instrument may have.
const maxComments = 3

// Answers to "Did the meaning change?".
const (
	meaningSame = "same"
	meaningNew  = "new"
)

// editorDraft is the form's content: the document as typed, plus each
// item's state for the rewording question.
type editorDraft struct {
	Languages []string
	Title     map[string]string
	Labels    map[string]map[int]string
	NA        map[string]string
	Items     []editorItem
	Comments  []surveys.DocumentComment
}

// editorItem is one item as typed. Orig and Was are its key and its text in
// the source language when the page was loaded from the stored draft, so a
// reworded item can be told from a new one; Meaning is the answer to the
// question asked about a reworded item.
type editorItem struct {
	surveys.DocumentItem
	Orig, Was, Meaning string
}

// draftOf turns a stored document into the form's content.
func draftOf(doc surveys.Document) editorDraft {
	d := editorDraft{Languages: slices.Clone(doc.Languages), Title: map[string]string{}, Labels: map[string]map[int]string{}, NA: map[string]string{}}
	if len(d.Languages) == 0 {
		d.Languages = []string{surveys.SourceLanguage}
	}
	for l, t := range doc.Title {
		d.Title[l] = t
	}
	for l, m := range doc.Scale.Labels {
		d.Labels[l] = map[int]string{}
		for v, t := range m {
			d.Labels[l][v] = t
		}
	}
	for l, t := range doc.Scale.NotApplicable {
		d.NA[l] = t
	}
	src := d.Languages[0]
	for _, it := range doc.Items {
		text := map[string]string{}
		for l, t := range it.Text {
			text[l] = t
		}
		it.Text = text
		it.SelfText = maps.Clone(it.SelfText)
		d.Items = append(d.Items, editorItem{DocumentItem: it, Orig: it.Key, Was: text[src]})
	}
	for _, c := range doc.Comments {
		p := map[string]string{}
		for l, t := range c.Prompt {
			p[l] = t
		}
		c.Prompt = p
		d.Comments = append(d.Comments, c)
	}
	return d
}

// Document is the draft as the use case stores it.
func (d editorDraft) Document(key string, version int) surveys.Document {
	doc := surveys.Document{Key: key, Version: version, Languages: d.Languages, Title: d.Title,
		Scale: surveys.DocumentScale{Labels: d.Labels, NotApplicable: d.NA},
		Items: []surveys.DocumentItem{}, Comments: d.Comments}
	for _, it := range d.Items {
		doc.Items = append(doc.Items, it.DocumentItem)
	}
	if doc.Comments == nil {
		doc.Comments = []surveys.DocumentComment{}
	}
	return doc
}

// parseDraft reads the editor's form. Texts are trimmed; a comment row left
// wholly empty is no prompt.
func parseDraft(form url.Values) editorDraft {
	get := func(name string) string { return strings.TrimSpace(form.Get(name)) }
	src := get("source")
	if !slices.Contains(editorLanguages, src) {
		src = surveys.SourceLanguage
	}
	d := editorDraft{Languages: []string{src}, Title: map[string]string{}, Labels: map[string]map[int]string{}, NA: map[string]string{}}
	for _, l := range editorLanguages {
		if l != src && form.Get("lang."+l) != "" {
			d.Languages = append(d.Languages, l)
		}
	}
	for _, l := range d.Languages {
		d.Title[l] = get("title." + l)
		d.Labels[l] = map[int]string{}
		for v := 1; v <= 5; v++ {
			d.Labels[l][v] = get("scale." + strconv.Itoa(v) + "." + l)
		}
		d.NA[l] = get("na." + l)
	}
	n, _ := strconv.Atoi(form.Get("items"))
	n = min(max(n, 0), 100)
	for i := range n {
		p := "item." + strconv.Itoa(i) + "."
		it := editorItem{DocumentItem: surveys.DocumentItem{Key: get(p + "key"), Attribute: surveys.Attribute(get(p + "attribute")),
			Text: map[string]string{}, AllowNotApplicable: form.Get(p+"na") != ""},
			Orig: form.Get(p + "orig"), Was: form.Get(p + "was"), Meaning: form.Get(p + "meaning")}
		for _, l := range d.Languages {
			it.Text[l] = get(p + "text." + l)
			// The self-assessment wording is optional: a language left
			// empty is left out, and none at all is no self wording.
			if t := get(p + "self." + l); t != "" {
				if it.SelfText == nil {
					it.SelfText = map[string]string{}
				}
				it.SelfText[l] = t
			}
		}
		d.Items = append(d.Items, it)
	}
	for j := range maxComments {
		p := "comment." + strconv.Itoa(j) + "."
		c := surveys.DocumentComment{Key: get(p + "key"), Prompt: map[string]string{}}
		empty := c.Key == ""
		for _, l := range d.Languages {
			c.Prompt[l] = get(p + "prompt." + l)
			empty = empty && c.Prompt[l] == ""
		}
		max := get(p + "max")
		if empty && max == "" {
			continue
		}
		c.MaxLength, _ = strconv.Atoi(max)
		d.Comments = append(d.Comments, c)
	}
	return d
}

// apply carries out a button that changes the form without saving:
// "up:3", "down:3", "remove:3", "add" (with the attribute chosen), "langs".
// It reports whether it knew the action.
func (d *editorDraft) apply(action, attribute string) bool {
	verb, arg, _ := strings.Cut(action, ":")
	i, err := strconv.Atoi(arg)
	inRange := err == nil && i >= 0 && i < len(d.Items)
	switch {
	case verb == "up" && inRange && i > 0:
		d.Items[i-1], d.Items[i] = d.Items[i], d.Items[i-1]
	case verb == "down" && inRange && i < len(d.Items)-1:
		d.Items[i], d.Items[i+1] = d.Items[i+1], d.Items[i]
	case verb == "remove" && inRange:
		d.Items = slices.Delete(d.Items, i, i+1)
	case verb == "add":
		it := editorItem{DocumentItem: surveys.DocumentItem{Key: d.freeKey(attributePrefix(surveys.Attribute(attribute))),
			Attribute: surveys.Attribute(attribute), Text: map[string]string{}, AllowNotApplicable: true}}
		d.Items = append(d.Items, it)
	case verb == "langs", verb == "up", verb == "down":
	default:
		return false
	}
	return true
}

// attributePrefix is the letter the default instrument's keys start with
// for an attribute, to suggest a key for a new item.
func attributePrefix(a surveys.Attribute) string {
	switch a {
	case surveys.Availability:
		return "A"
	case surveys.Competence:
		return "C"
	case surveys.AltruisticSupport:
		return "S"
	case surveys.Overall:
		return "G"
	}
	return "Q"
}

// freeKey suggests a key starting with prefix that no item of the draft
// uses ("C4" after C1–C3).
func (d *editorDraft) freeKey(prefix string) string {
	for n := 1; ; n++ {
		k := prefix + strconv.Itoa(n)
		if !d.hasKey(k) {
			return k
		}
	}
}

func (d *editorDraft) hasKey(k string) bool {
	for _, it := range d.Items {
		if it.Key == k {
			return true
		}
	}
	return false
}

// newKeyFor suggests the key a reworded item with a new meaning gets: its
// key with the next free letter ("A1b", then "A1c"), unused by the draft
// and by every published version.
func (d *editorDraft) newKeyFor(key string, published map[string]surveys.Attribute) string {
	for c := 'b'; c <= 'z'; c++ {
		k := key + string(c)
		if !d.hasKey(k) && published[k] == "" {
			return k
		}
	}
	return key + "-new"
}

// reworded lists the items whose source text changed (to another text, not
// to none) since the page was loaded while they keep a key a published
// version asks: the editor asks
// whether the meaning changed before saving them.
func (d *editorDraft) reworded(published map[string]surveys.Attribute) []int {
	src := d.Languages[0]
	var out []int
	for i, it := range d.Items {
		if it.Orig != "" && it.Key == it.Orig && published[it.Key] != "" && it.Text[src] != "" && it.Text[src] != it.Was {
			out = append(out, i)
		}
	}
	return out
}

// settleMeanings applies the answers to "Did the meaning change?": a new
// meaning takes a new key. An item moved to another attribute than its key
// has in a published version is a new question too (a key means one
// attribute everywhere), and takes a new key without asking; moved lists
// those. It returns the reworded items still without an answer.
func (d *editorDraft) settleMeanings(published map[string]surveys.Attribute) (open []int, moved []string) {
	for i, it := range d.Items {
		if a := published[it.Key]; a != "" && a != it.Attribute && validAttribute(it.Attribute) {
			d.Items[i].Key = d.newKeyFor(it.Key, published)
			moved = append(moved, it.Key+" is now "+d.Items[i].Key)
		}
	}
	for _, i := range d.reworded(published) {
		switch d.Items[i].Meaning {
		case meaningSame:
		case meaningNew:
			d.Items[i].Key = d.newKeyFor(d.Items[i].Key, published)
		default:
			open = append(open, i)
		}
	}
	return open, moved
}

func validAttribute(a surveys.Attribute) bool { return slices.Contains(surveys.Attributes, a) }
