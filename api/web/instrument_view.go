package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// textField is one input of the editor: its form name, its id (derived
// from the document's JSON path, so a use case's field error finds it),
// its label, what it holds and the message beside it.
type textField struct {
	Name, ID, Label, Value, Error, Lang string
}

// editorItemView is one item's fieldset.
type editorItemView struct {
	Index, Number       int
	ID                  string
	Key, Attribute      textField
	Texts               []textField
	SelfTexts           []textField
	NA                  bool
	NAName, NAID        string
	Orig, Was           string
	First, Last         bool
	Errors              []string
	Ask                 bool
	Meaning, NewKey     string
	MeaningName, TextID string
}

// editorCommentView is one comment prompt's fieldset; Key is a choice of
// the keys a response keeps comments under.
type editorCommentView struct {
	Number  int
	ID      string
	Key     textField
	Prompts []textField
	Max     textField
	Errors  []string
}

// scaleRow is one value of the scale with its label per language.
type scaleRow struct {
	Value  int
	Fields []textField
}

// langOption is a language the draft may offer.
type langOption struct {
	Code, Name, ID string
	Checked        bool
}

// option is one entry of a select.
type option struct{ Value, Label string }

// editorForm is the editor's form as shown: every input with its value and
// message, and the error summary.
type editorForm struct {
	Source, SourceName string
	Langs              []langOption
	Title              []textField
	Scale              []scaleRow
	NA                 []textField
	Items              []editorItemView
	Comments           []editorCommentView
	Attributes         []option
	CommentKeys        []option
	// SectionErrors are messages about a whole list ("items", "comments",
	// "languages"), shown at its heading.
	SectionErrors map[string][]string
	Summary       []errorLink
	// Asking counts the reworded items waiting for an answer.
	Asking int
}

// fieldID is the id of the input for a document field: "items[3].text.es"
// is "f-items-3-text-es".
func fieldID(field string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-")
	return "f-" + r.Replace(field)
}

// editorView builds the form for a draft. errs are the use case's field
// errors; asking lists the items waiting for "Did the meaning change?".
func editorView(d editorDraft, errs []surveys.FieldError, asking []int, published map[string]surveys.Attribute) editorForm {
	byField := map[string]string{}
	for _, fe := range errs {
		if _, dup := byField[fe.Field]; !dup {
			byField[fe.Field] = fe.Message
		}
	}
	used := map[string]bool{}
	labels := map[string]string{} // id -> label, for the summary
	f := editorForm{Source: d.Languages[0], SourceName: nativeName(d.Languages[0]), SectionErrors: map[string][]string{}}
	field := func(path, name, label, value, lang string) textField {
		id := fieldID(path)
		labels[id] = label
		tf := textField{Name: name, ID: id, Label: label, Value: value, Lang: lang}
		if msg, ok := byField[path]; ok {
			tf.Error = sentence(msg)
			used[path] = true
			f.Summary = append(f.Summary, errorLink{Anchor: id, Text: label + ": " + tf.Error})
		}
		return tf
	}
	for _, l := range editorLanguages {
		if l != f.Source {
			f.Langs = append(f.Langs, langOption{Code: l, Name: nativeName(l), ID: "f-lang-" + l, Checked: slices.Contains(d.Languages, l)})
		}
	}
	langSuffix := func(l string) string {
		if len(d.Languages) == 1 {
			return ""
		}
		return " (" + nativeName(l) + ")"
	}
	for _, l := range d.Languages {
		f.Title = append(f.Title, field("title."+l, "title."+l, "Title"+langSuffix(l), d.Title[l], l))
		f.NA = append(f.NA, field("scale.not_applicable."+l, "na."+l, "\u201cNot applicable\u201d choice"+langSuffix(l), d.NA[l], l))
	}
	for v := surveys.ScaleMin; v <= surveys.ScaleMax; v++ {
		row := scaleRow{Value: v}
		for _, l := range d.Languages {
			vs := strconv.Itoa(v)
			row.Fields = append(row.Fields, field("scale.labels."+l+"."+vs, "scale."+vs+"."+l, "Label for "+vs+langSuffix(l), d.Labels[l][v], l))
		}
		f.Scale = append(f.Scale, row)
	}
	for _, a := range surveys.Attributes {
		f.Attributes = append(f.Attributes, option{Value: string(a), Label: a.Label()})
	}
	for _, k := range surveys.StoredComments {
		f.CommentKeys = append(f.CommentKeys, option{Value: k, Label: k})
	}
	for i, it := range d.Items {
		n := strconv.Itoa(i + 1)
		base := "items[" + strconv.Itoa(i) + "]"
		p := "item." + strconv.Itoa(i) + "."
		iv := editorItemView{Index: i, Number: i + 1, ID: fieldID(base), NA: it.AllowNotApplicable, NAName: p + "na", NAID: fieldID(base + ".allow_not_applicable"),
			Orig: it.Orig, Was: it.Was, First: i == 0, Last: i == len(d.Items)-1, Meaning: it.Meaning, MeaningName: p + "meaning"}
		labels[iv.ID] = "Statement " + n
		iv.Key = field(base+".key", p+"key", "Statement "+n+": key", it.Key, "")
		iv.Attribute = field(base+".attribute", p+"attribute", "Statement "+n+": attribute", string(it.Attribute), "")
		for _, l := range d.Languages {
			iv.Texts = append(iv.Texts, field(base+".text."+l, p+"text."+l, "Statement "+n+": text"+langSuffix(l), it.Text[l], l))
		}
		for _, l := range d.Languages {
			iv.SelfTexts = append(iv.SelfTexts, field(base+".self_text."+l, p+"self."+l, "Statement "+n+": in the resident's own words"+langSuffix(l), it.SelfText[l], l))
		}
		iv.TextID = iv.Texts[0].ID
		if slices.Contains(asking, i) {
			iv.Ask = true
			iv.NewKey = d.newKeyFor(it.Key, published)
			f.Asking++
			f.Summary = append(f.Summary, errorLink{Anchor: iv.ID + "-meaning", Text: "Statement " + n + ": its text changed. Say whether its meaning changed before saving."})
		}
		f.Items = append(f.Items, iv)
	}
	for j := range maxComments {
		n := strconv.Itoa(j + 1)
		base := "comments[" + strconv.Itoa(j) + "]"
		p := "comment." + strconv.Itoa(j) + "."
		var c surveys.DocumentComment
		if j < len(d.Comments) {
			c = d.Comments[j]
		}
		cv := editorCommentView{Number: j + 1, ID: fieldID(base)}
		labels[cv.ID] = "Comment prompt " + n
		cv.Key = field(base+".key", p+"key", "Comment prompt "+n+" stored as", c.Key, "")
		for _, l := range d.Languages {
			cv.Prompts = append(cv.Prompts, field(base+".prompt."+l, p+"prompt."+l, "Comment prompt "+n+langSuffix(l), c.Prompt[l], l))
		}
		max := ""
		if c.MaxLength > 0 {
			max = strconv.Itoa(c.MaxLength)
		}
		cv.Max = field(base+".max_length", p+"max", "Comment prompt "+n+" longest answer (characters)", max, "")
		f.Comments = append(f.Comments, cv)
	}
	// Messages naming no input go beside the nearest thing that has one
	// (an item, a comment, a list), and into the summary.
	for _, fe := range errs {
		if used[fe.Field] {
			continue
		}
		used[fe.Field] = true
		msg := sentence(fe.Message)
		anchor, label := nearest(fe.Field, labels)
		switch {
		case strings.HasPrefix(anchor, "f-items-"):
			for i := range f.Items {
				if f.Items[i].ID == anchor {
					f.Items[i].Errors = append(f.Items[i].Errors, msg)
				}
			}
		case strings.HasPrefix(anchor, "f-comments-"):
			for i := range f.Comments {
				if f.Comments[i].ID == anchor {
					f.Comments[i].Errors = append(f.Comments[i].Errors, msg)
				}
			}
		default:
			section, _, _ := strings.Cut(strings.SplitN(fe.Field, "[", 2)[0], ".")
			f.SectionErrors[section] = append(f.SectionErrors[section], msg)
			anchor, label = fieldID(section), ""
		}
		text := msg
		if label != "" {
			text = label + ": " + msg
		}
		f.Summary = append(f.Summary, errorLink{Anchor: anchor, Text: text})
	}
	return f
}

// nearest finds the input or group a field belongs to by cutting its path
// from the end: "items[3].text.fr" falls back to item 4.
func nearest(field string, labels map[string]string) (id, label string) {
	for p := field; p != ""; {
		if l, ok := labels[fieldID(p)]; ok {
			return fieldID(p), l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return "", ""
}
