package surveys

import (
	"strings"
	"testing"
)

// TestSuggestionLibraryCoversTheInstrument: every default item and every
// mentor attribute has 2 to 4 suggestions of its own, each a short
// sentence citing a listed source, and every source is cited.
func TestSuggestionLibraryCoversTheInstrument(t *testing.T) {
	sources := map[string]bool{}
	for _, s := range SuggestionSources() {
		if s.Key == "" || !strings.Contains(s.Citation, ". 20") && !strings.Contains(s.Citation, ". 19") {
			t.Errorf("source %+v has no year", s)
		}
		sources[s.Key] = true
	}
	cited := map[string]bool{}
	check := func(what string, ss []Suggestion) {
		if len(ss) < 2 || len(ss) > 4 {
			t.Errorf("%s has %d suggestions, want 2 to 4", what, len(ss))
		}
		for _, s := range ss {
			if !sources[s.Source] {
				t.Errorf("%s: %q cites unknown source %q", what, s.Text, s.Source)
			}
			if len(s.Text) > 160 || !strings.HasSuffix(s.Text, ".") {
				t.Errorf("%s: %q is not one short sentence", what, s.Text)
			}
			cited[s.Source] = true
		}
	}
	for _, it := range Default().Items {
		check(it.Key, itemSuggestions[it.Key])
	}
	for _, a := range []Attribute{Availability, Competence, AltruisticSupport} {
		check(string(a), attributeSuggestions[a])
	}
	for k := range sources {
		if !cited[k] {
			t.Errorf("source %s is listed but never cited", k)
		}
	}
}

func TestSuggestionsForATarget(t *testing.T) {
	c3 := SuggestionsFor(GoalTarget{TargetItem, "C3"})
	if n := len(itemSuggestions["C3"]); len(c3) != n+len(attributeSuggestions[Competence]) || c3[0] != itemSuggestions["C3"][0] || c3[n] != attributeSuggestions[Competence][0] {
		t.Errorf("C3: %v, want its own then competence's", c3)
	}
	if s := SuggestionsFor(GoalTarget{TargetAttribute, string(AltruisticSupport)}); len(s) != 3 || s[0] != attributeSuggestions[AltruisticSupport][0] {
		t.Errorf("altruistic support: %v", s)
	}
	if s := SuggestionsFor(GoalTarget{TargetAttribute, string(Overall)}); len(s) != len(itemSuggestions["G"]) || s[0] != itemSuggestions["G"][0] {
		t.Errorf("overall: %v, want item G's", s)
	}
	for _, unknown := range []GoalTarget{{TargetItem, "Z9"}, {TargetAttribute, "kindness"}, {"habit", "A1"}} {
		if s := SuggestionsFor(unknown); s == nil || len(s) != 0 {
			t.Errorf("%v: %v, want an empty list", unknown, s)
		}
	}
	// The library's slices are not handed out to be changed.
	s := SuggestionsFor(GoalTarget{TargetAttribute, string(Availability)})
	s[0].Text = "changed"
	if attributeSuggestions[Availability][0].Text == "changed" {
		t.Error("a caller changed the library")
	}
}

func TestFocusNamesTheWeakestShownItem(t *testing.T) {
	items := []ItemSummary{
		{Key: "A1", Mean: fp(4.2)}, {Key: "A2", Mean: fp(3.1)}, {Key: "C1"},
		{Key: "C2", Mean: fp(3.1)}, {Key: "S1", Mean: fp(4.9)},
	}
	f := Focus{}.withWeakestItem(items)
	if f.WeakestItem == nil || *f.WeakestItem != "A2" {
		t.Fatalf("weakest %v, want A2 (tied with C2, first in the catalogue)", f.WeakestItem)
	}
	if want := SuggestionsFor(GoalTarget{TargetItem, "A2"}); len(f.ItemSuggestions) != len(want) || f.ItemSuggestions[0] != want[0] {
		t.Errorf("item suggestions %v", f.ItemSuggestions)
	}
	f = Focus{}.withWeakestItem([]ItemSummary{{Key: "A1"}, {Key: "A2"}})
	if f.WeakestItem != nil || f.ItemSuggestions == nil || len(f.ItemSuggestions) != 0 {
		t.Errorf("no item shown: %+v", f)
	}
}

// TestResidentReportFocusCarriesAttributeTexts: the focus's suggestions
// stay the library's texts for the attribute it names.
func TestResidentReportFocusCarriesAttributeTexts(t *testing.T) {
	f := ChooseFocus(nil)
	if f.Suggestions == nil || len(f.Suggestions) != 0 || f.ItemSuggestions == nil {
		t.Errorf("empty focus %+v", f)
	}
	got := attributeSuggestionTexts(Competence)
	if len(got) != 3 || got[2] != attributeSuggestions[Competence][2].Text {
		t.Errorf("competence texts %v", got)
	}
}
