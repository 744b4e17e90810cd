package surveys

import "testing"

// The default instrument can be answered in Spanish: every text is there,
// and the Spanish copy asks the same keys on the same scale.
func TestDefaultInstrumentIsCompleteInSpanish(t *testing.T) {
	in := Default()
	if errs := in.CheckTranslations(); len(errs) != 0 {
		t.Fatalf("the Spanish translation misses texts: %v", errs)
	}
	es := in.In("es")
	if es.Lang() != "es" || es.Title == in.Title || es.NotApplicableText() != "No aplica / no se trató" {
		t.Errorf("Spanish copy: lang %q, title %q, n/a %q", es.Lang(), es.Title, es.NotApplicableText())
	}
	for i, it := range es.Items {
		if it.Key != in.Items[i].Key || it.Attribute != in.Items[i].Attribute || it.Text == in.Items[i].Text {
			t.Errorf("item %d: %+v against %+v", i, it, in.Items[i])
		}
	}
}
