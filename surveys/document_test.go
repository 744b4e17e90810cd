package surveys_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// twoLanguage is the default instrument with Spanish texts beside the
// English ones: a valid document to break one rule at a time.
func twoLanguage() surveys.Document {
	d := surveys.DocumentOf(surveys.Default())
	d.Key, d.Version = "program-1", 1
	d.Languages = []string{"en", "es"}
	d.Title["es"] = "Opinión sobre el mentor"
	d.Scale.Labels["es"] = map[int]string{1: "Muy en desacuerdo", 2: "En desacuerdo", 3: "Neutral", 4: "De acuerdo", 5: "Muy de acuerdo"}
	d.Scale.NotApplicable["es"] = "No aplica"
	for i := range d.Items {
		d.Items[i].Text["es"] = "Texto " + d.Items[i].Key
	}
	for i := range d.Comments {
		d.Comments[i].Prompt["es"] = "Pregunta " + d.Comments[i].Key
	}
	return d
}

func TestDocumentValidateNamesTheFieldAndTheFix(t *testing.T) {
	extra := func(d *surveys.Document, n int) {
		for i := 0; i < n; i++ {
			d.Items = append(d.Items, surveys.DocumentItem{Key: "X" + strings.Repeat("x", i), Attribute: surveys.Overall,
				Text: map[string]string{"en": "More", "es": "Más"}})
		}
	}
	cases := []struct {
		name   string
		change func(d *surveys.Document)
		field  string
		msg    string
	}{
		{"empty-spanish-text", func(d *surveys.Document) { d.Items[3].Text["es"] = " " }, "items[3].text.es", "the Spanish text is empty"},
		{"missing-english-text", func(d *surveys.Document) { delete(d.Items[0].Text, "en") }, "items[0].text.en", "the English text is empty"},
		{"availability-one-item", func(d *surveys.Document) { d.Items = d.Items[1:] }, "items", "availability needs at least two items; it has one"},
		{"competence-none", func(d *surveys.Document) { d.Items = append(d.Items[:2], d.Items[5:]...) }, "items", "competence needs at least two items; it has none"},
		{"sixteen-items", func(d *surveys.Document) { extra(d, 7) }, "items", "at most 15 rated items; this has 16"},
		{"duplicate-key", func(d *surveys.Document) { d.Items[2].Key = "A1" }, "items[2].key", "A1 is used twice; give each statement its own key"},
		{"no-attribute", func(d *surveys.Document) { d.Items[8].Attribute = "" }, "items[8].attribute", "choose availability, competence, altruistic_support or overall"},
		{"unknown-attribute", func(d *surveys.Document) { d.Items[8].Attribute = "kindness" }, "items[8].attribute", "choose availability, competence, altruistic_support or overall"},
		{"bad-item-key", func(d *surveys.Document) { d.Items[0].Key = "a 1" }, "items[0].key", "use 1 to 32 letters, digits and underscores, starting with a letter (e.g. A3)"},
		{"four-prompts", func(d *surveys.Document) {
			for len(d.Comments) < 4 {
				d.Comments = append(d.Comments, d.Comments[0])
			}
		}, "comments", "at most three prompts; this has 4"},
		{"unstored-prompt-key", func(d *surveys.Document) { d.Comments[1].Key = "another" }, "comments[1].key", "choose keep_doing or next_time or other: answers are kept under these keys"},
		{"prompt-too-long-limit", func(d *surveys.Document) { d.Comments[0].MaxLength = 5000 }, "comments[0].max_length", "must be from 1 to 2000 characters"},
		{"prompt-no-limit", func(d *surveys.Document) { d.Comments[0].MaxLength = 0 }, "comments[0].max_length", "must be from 1 to 2000 characters"},
		{"bad-instrument-key", func(d *surveys.Document) { d.Key = "Program 1" }, "key", "use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (e.g. program-12)"},
		{"unsupported-language", func(d *surveys.Document) { d.Languages = []string{"en", "fr"} }, "languages[1]", `"fr" is not a language surveys can be shown in; choose en or es`},
		{"no-languages", func(d *surveys.Document) { d.Languages = nil }, "languages", "list the languages the instrument is written in, its source language first (en or es)"},
		{"text-in-undeclared-language", func(d *surveys.Document) { d.Languages = []string{"en"} }, "title.es", "the instrument does not declare Spanish; add it to languages or remove this text"},
		{"scale-label-missing", func(d *surveys.Document) { delete(d.Scale.Labels["es"], 4) }, "scale.labels.es.4", "the Spanish label for 4 is empty"},
		{"scale-label-out-of-range", func(d *surveys.Document) { d.Scale.Labels["en"][6] = "Ecstatic" }, "scale.labels.en.6", "the scale runs from 1 to 5; remove the label for 6"},
		{"not-applicable-label-missing", func(d *surveys.Document) { delete(d.Scale.NotApplicable, "es") }, "scale.not_applicable.es", "the Spanish text is empty"},
		{"empty-title", func(d *surveys.Document) { d.Title["en"] = "" }, "title.en", "the English text is empty"},
		{"version-zero", func(d *surveys.Document) { d.Version = 0 }, "version", "must be 1 or more"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := twoLanguage()
			c.change(&d)
			errs := d.Validate()
			for _, e := range errs {
				if e.Field == c.field && e.Message == c.msg {
					return
				}
			}
			t.Errorf("want %s: %s; got %v", c.field, c.msg, errs)
		})
	}
}

func TestValidDocumentBecomesItsInstrument(t *testing.T) {
	d := twoLanguage()
	if errs := d.Validate(); len(errs) != 0 {
		t.Fatalf("valid document refused: %v", errs)
	}
	d.Items[1].AllowNotApplicable = false
	in, err := d.Instrument()
	if err != nil {
		t.Fatal(err)
	}
	if in.Key != "program-1" || len(in.Items) != 9 || in.In("es").Items[0].Text != "Texto A1" || in.In("es").Title != "Opinión sobre el mentor" {
		t.Errorf("instrument %+v", in)
	}
	back := surveys.DocumentOf(in)
	if back.Items[1].AllowNotApplicable || !back.Items[0].AllowNotApplicable || back.Scale.NotApplicable["es"] != "No aplica" {
		t.Errorf("round trip lost not-applicable settings: %+v", back.Items[:2])
	}
	if errs := back.Validate(); len(errs) != 0 {
		t.Errorf("exported document invalid: %v", errs)
	}
}

func TestDefaultInstrumentDocumentIsValid(t *testing.T) {
	d := surveys.DocumentOf(surveys.Default())
	if errs := d.Validate(); len(errs) != 0 {
		t.Fatalf("the default's document is invalid: %v", errs)
	}
	if d.Languages[0] != "en" || d.Scale.NotApplicable["en"] != surveys.NotApplicableLabel {
		t.Errorf("document %+v", d)
	}
}

func TestItemWithoutNotApplicableRefusesNull(t *testing.T) {
	d := twoLanguage()
	d.Items[0].AllowNotApplicable = false
	in, err := d.Instrument()
	if err != nil {
		t.Fatal(err)
	}
	body := `{"answers":{"A1":null,"A2":null,"C1":4,"C2":4,"C3":4,"S1":4,"S2":4,"S3":4,"G":4}}`
	_, err = in.DecodeSubmission([]byte(body))
	var fields []surveys.FieldError
	if e, ok := err.(*surveys.Error); ok {
		fields = e.Fields
	}
	if len(fields) != 1 || fields[0].Field != "answers.A1" || !strings.Contains(fields[0].Message, "a rating is required") {
		t.Fatalf("want A1 refused alone, got %v", err)
	}
	// The default instrument still takes null for every item.
	if _, err := surveys.Default().DecodeSubmission([]byte(body)); err != nil {
		t.Errorf("default refused not applicable: %v", err)
	}
}

func TestDocumentWithoutCommentsExportsAndDecodesAgain(t *testing.T) {
	d := twoLanguage()
	d.Comments = nil
	b, err := json.Marshal(d.Normalized())
	if err != nil {
		t.Fatal(err)
	}
	back, err := surveys.DecodeDocument(b)
	if err != nil {
		t.Fatalf("a document without prompts does not decode again: %v\n%s", err, b)
	}
	if errs := back.Validate(); len(errs) != 0 || len(back.Comments) != 0 {
		t.Errorf("decoded %+v, errors %v", back.Comments, errs)
	}
}

func TestDecodeDocumentRefusesUnknownNestedFields(t *testing.T) {
	b, _ := json.Marshal(twoLanguage())
	s := strings.Replace(string(b), `"max_length"`, `"max_len"`, 1)
	s = strings.Replace(s, `"not_applicable":{`, `"na":{`, 1)
	_, err := surveys.DecodeDocument([]byte(s))
	e, ok := err.(*surveys.Error)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	var fields []string
	for _, f := range e.Fields {
		fields = append(fields, f.Field)
	}
	if got := strings.Join(fields, " "); got != "scale.na comments[0].max_len" {
		t.Errorf("fields %q", got)
	}
}
