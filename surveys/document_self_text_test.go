package surveys_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestSelfTextSurvivesExportAndImport: a document's self wordings, in the
// source language and a translation, come back unchanged from an
// instrument built from it and from its exported JSON, and reach the
// instrument in each language.
func TestSelfTextSurvivesExportAndImport(t *testing.T) {
	d := twoLanguage()
	d.Items[0].SelfText = map[string]string{"en": "I gave meetings enough time.", "es": "Di a las reuniones el tiempo suficiente."}
	d.Items[1].SelfText = map[string]string{"en": "My mentees could reach me."}
	d.Items[2].SelfText = nil
	in, err := d.Instrument()
	if err != nil {
		t.Fatal(err)
	}
	if in.Items[0].SelfText != "I gave meetings enough time." || in.In("es").Items[0].SelfText != "Di a las reuniones el tiempo suficiente." {
		t.Errorf("self texts %q / %q", in.Items[0].SelfText, in.In("es").Items[0].SelfText)
	}
	if in.Items[2].SelfStatement() != surveys.SelfFallbackPrefix+in.Items[2].Text {
		t.Errorf("item without a self text reads %q", in.Items[2].SelfStatement())
	}
	b, err := json.Marshal(surveys.DocumentOf(in).Normalized())
	if err != nil {
		t.Fatal(err)
	}
	back, err := surveys.DecodeDocument(b)
	if err != nil {
		t.Fatalf("exported document does not decode: %v\n%s", err, b)
	}
	for i, want := range []map[string]string{d.Items[0].SelfText, d.Items[1].SelfText, nil} {
		got := back.Items[i].SelfText
		if len(got) != len(want) || got["en"] != want["en"] || got["es"] != want["es"] {
			t.Errorf("items[%d].self_text = %v, want %v", i, got, want)
		}
	}
	if strings.Contains(string(b), `"self_text":null`) {
		t.Errorf("an item without a self text exports null: %s", b)
	}
}

func TestSelfTextRules(t *testing.T) {
	cases := []struct {
		name  string
		self  map[string]string
		field string
		msg   string
	}{
		{"translation-only", map[string]string{"es": "Yo…"}, "items[0].self_text.en", "the English text is empty; write it, or remove the self-assessment statement in every language"},
		{"blank-source", map[string]string{"en": "  "}, "items[0].self_text.en", "the English text is empty; write it, or remove the self-assessment statement in every language"},
		{"blank-translation", map[string]string{"en": "I did.", "es": ""}, "items[0].self_text.es", "the Spanish text is empty; write it or remove it"},
		{"too-long", map[string]string{"en": strings.Repeat("x", 301)}, "items[0].self_text.en", "the self-assessment statement in English is 301 characters long; the limit is 300"},
		{"two-lines", map[string]string{"en": "I did\nwell"}, "items[0].self_text.en", "the self-assessment statement in English must be plain text on one line"},
		{"undeclared-language", map[string]string{"en": "I did.", "fr": "J'ai"}, "items[0].self_text.fr", "the instrument does not declare fr; add it to languages or remove this text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := twoLanguage()
			d.Items[0].SelfText = c.self
			errs := d.Validate()
			if len(errs) != 1 || errs[0].Field != c.field || errs[0].Message != c.msg {
				t.Errorf("want only %s: %s; got %v", c.field, c.msg, errs)
			}
		})
	}
	d := twoLanguage()
	d.Items[0].SelfText = map[string]string{"en": "I made time."}
	if errs := d.Validate(); len(errs) != 0 {
		t.Errorf("a source-language self text alone is refused: %v", errs)
	}
}

// TestDefaultItemsSpeakInTheFirstPerson: every default item has its own
// self wording, different from what mentees read, and the default's
// document carries it.
func TestDefaultItemsSpeakInTheFirstPerson(t *testing.T) {
	doc := surveys.DocumentOf(surveys.Default())
	for i, it := range surveys.Default().Items {
		s := it.SelfStatement()
		if it.SelfText == "" || s != it.SelfText || s == it.Text || !(strings.HasPrefix(s, "I ") || strings.Contains(s, " me") || strings.Contains(s, " my ") || strings.HasPrefix(s, "My ")) {
			t.Errorf("%s: self statement %q", it.Key, s)
		}
		if doc.Items[i].SelfText["en"] != it.SelfText {
			t.Errorf("%s: document self_text %v", it.Key, doc.Items[i].SelfText)
		}
	}
}
