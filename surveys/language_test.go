package surveys

import "testing"

func TestInstrumentInALanguage(t *testing.T) {
	in := *Default()
	in.Languages = []string{"en", "es"}
	in.Translations = map[string]*Translation{"es": {
		Title:         "Opinión sobre tu mentor",
		Items:         map[string]string{},
		Labels:        map[int]string{1: "Muy en desacuerdo", 2: "En desacuerdo", 3: "Neutral", 4: "De acuerdo", 5: "Muy de acuerdo"},
		NotApplicable: "No aplica",
		Prompts:       map[string]string{CommentKeepDoing: "Algo que tu mentor hizo bien", CommentNextTime: "Algo que haría más útil la próxima reunión"},
	}}
	for _, it := range in.Items {
		in.Translations["es"].Items[it.Key] = "es: " + it.Text
	}
	es := in.In("es")
	if es.Lang() != "es" || es.Title != "Opinión sobre tu mentor" || es.Items[0].Text != "es: "+in.Items[0].Text || es.Items[0].Key != "A1" ||
		es.Scale.Labels[5] != "Muy de acuerdo" || es.NotApplicableText() != "No aplica" || es.Comments[0].Prompt != "Algo que tu mentor hizo bien" {
		t.Errorf("Spanish instrument: %+v", es)
	}
	if in.Items[0].Text == es.Items[0].Text || in.Scale.Labels[5] != "Strongly agree" {
		t.Error("In changed the source instrument")
	}
	if got := in.In("fr"); got != &in || got.Lang() != "en" {
		t.Error("a language without a translation must give the source instrument")
	}
	if errs := in.CheckTranslations(); len(errs) != 0 {
		t.Errorf("complete translation: %v", errs)
	}
	delete(in.Translations["es"].Items, "C2")
	in.Translations["es"].Labels[3] = ""
	errs := in.CheckTranslations()
	if len(errs) != 2 || errs[0].Field != "translations.es.items.C2" || errs[1].Field != "translations.es.labels.3" {
		t.Errorf("missing texts: %v", errs)
	}
	if got := (&Instrument{Languages: []string{"en", "es"}}).CheckTranslations(); len(got) != 1 || got[0].Field != "translations.es" {
		t.Errorf("a declared language without texts: %v", got)
	}
}
