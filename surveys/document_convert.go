package surveys

import "maps"

// Instrument builds the instrument a document describes, after Validate: an
// invalid document is an EINVALID error listing every problem. Its source
// language is Languages[0]; the others become translations.
func (d Document) Instrument() (*Instrument, error) {
	if errs := d.Validate(); len(errs) > 0 {
		return nil, Invalid("the instrument needs another look", errs)
	}
	src := d.Languages[0]
	anyNA := false
	for _, it := range d.Items {
		anyNA = anyNA || it.AllowNotApplicable
	}
	in := &Instrument{
		Key:     d.Key,
		Version: d.Version,
		Title:   d.Title[src],
		Scale: Scale{
			Min: ScaleMin, Max: ScaleMax,
			Labels:             maps.Clone(d.Scale.Labels[src]),
			AllowNotApplicable: anyNA,
		},
		Languages: append([]string(nil), d.Languages...),
	}
	if anyNA {
		in.NotApplicable = d.Scale.NotApplicable[src]
	}
	for _, it := range d.Items {
		in.Items = append(in.Items, Item{Key: it.Key, Attribute: it.Attribute, Text: it.Text[src], SelfText: it.SelfText[src],
			NoNotApplicable: anyNA && !it.AllowNotApplicable})
	}
	for _, c := range d.Comments {
		in.Comments = append(in.Comments, CommentPrompt{Key: c.Key, Prompt: c.Prompt[src], MaxLength: c.MaxLength})
	}
	for _, lang := range d.Languages[1:] {
		if in.Translations == nil {
			in.Translations = map[string]*Translation{}
		}
		t := &Translation{
			Title:   d.Title[lang],
			Items:   map[string]string{},
			Labels:  maps.Clone(d.Scale.Labels[lang]),
			Prompts: map[string]string{},
		}
		if anyNA {
			t.NotApplicable = d.Scale.NotApplicable[lang]
		}
		for _, it := range d.Items {
			t.Items[it.Key] = it.Text[lang]
			if s := it.SelfText[lang]; s != "" {
				if t.SelfItems == nil {
					t.SelfItems = map[string]string{}
				}
				t.SelfItems[it.Key] = s
			}
		}
		for _, c := range d.Comments {
			t.Prompts[c.Key] = c.Prompt[lang]
		}
		in.Translations[lang] = t
	}
	return in, nil
}

// DocumentOf is the document of an instrument: what GET
// /api/v1/instruments/{key}/versions/{n} answers and a copy starts from.
func DocumentOf(in *Instrument) Document {
	langs := in.Langs()
	d := Document{
		Key:       in.Key,
		Version:   in.Version,
		Languages: langs,
		Title:     map[string]string{},
		Scale:     DocumentScale{Labels: map[string]map[int]string{}, NotApplicable: map[string]string{}},
		Items:     []DocumentItem{},
		Comments:  []DocumentComment{},
	}
	for _, lang := range langs {
		v := in.In(lang)
		d.Title[lang] = v.Title
		d.Scale.Labels[lang] = maps.Clone(v.Scale.Labels)
		if in.Scale.AllowNotApplicable {
			d.Scale.NotApplicable[lang] = v.NotApplicableText()
		}
	}
	for i, it := range in.Items {
		di := DocumentItem{Key: it.Key, Attribute: it.Attribute, Text: map[string]string{},
			AllowNotApplicable: in.AllowsNotApplicable(it)}
		for _, lang := range langs {
			di.Text[lang] = in.In(lang).Items[i].Text
		}
		// A self wording exists only with its source-language text (the
		// rule Validate holds documents to).
		if it.SelfText != "" {
			di.SelfText = map[string]string{}
			for _, lang := range langs {
				if s := in.In(lang).Items[i].SelfText; s != "" {
					di.SelfText[lang] = s
				}
			}
		}
		d.Items = append(d.Items, di)
	}
	for i, c := range in.Comments {
		dc := DocumentComment{Key: c.Key, MaxLength: c.MaxLength, Prompt: map[string]string{}}
		for _, lang := range langs {
			dc.Prompt[lang] = in.In(lang).Comments[i].Prompt
		}
		d.Comments = append(d.Comments, dc)
	}
	return d
}

// Normalized returns the document with empty lists and maps where it has
// none, so that it encodes as [] and {} rather than null and a file
// exported from it decodes again (DecodeJSON refuses null).
func (d Document) Normalized() Document {
	if d.Languages == nil {
		d.Languages = []string{}
	}
	if d.Title == nil {
		d.Title = map[string]string{}
	}
	if d.Scale.Labels == nil {
		d.Scale.Labels = map[string]map[int]string{}
	}
	if d.Scale.NotApplicable == nil {
		d.Scale.NotApplicable = map[string]string{}
	}
	items := make([]DocumentItem, len(d.Items))
	for i, it := range d.Items {
		if it.Text == nil {
			it.Text = map[string]string{}
		}
		items[i] = it
	}
	d.Items = items
	comments := make([]DocumentComment, len(d.Comments))
	for i, c := range d.Comments {
		if c.Prompt == nil {
			c.Prompt = map[string]string{}
		}
		comments[i] = c
	}
	d.Comments = comments
	return d
}
