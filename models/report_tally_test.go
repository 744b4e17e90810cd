package models

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestTalliesAreKeyedByItemAcrossVersions: a version that asks G first
// and drops S3, and one that adds an item, tally every answer under its
// item key and attribute; nothing depends on the order of the items.
func TestTalliesAreKeyedByItemAcrossVersions(t *testing.T) {
	v1 := surveys.Default()
	v10 := &surveys.Instrument{Key: v1.Key, Version: 10, Scale: v1.Scale, Items: append([]surveys.Item{v1.Items[8]}, slices.Delete(slices.Clone(v1.Items), 7, 9)...)}
	v11 := &surveys.Instrument{Key: v1.Key, Version: 11, Scale: v1.Scale, Items: append(slices.Clone(v1.Items), surveys.Item{Key: "OR1", Attribute: surveys.Competence, Text: "My mentor taught me in the operating room."})}
	for _, in := range []*surveys.Instrument{v10, v11} {
		if _, err := surveys.Lookup(in.Key, in.Version); err != nil {
			if err := surveys.Register(in); err != nil {
				t.Fatal(err)
			}
		}
	}
	five, four, three := 5, 4, 3
	tally := itemTally{}
	tally.add(v1, map[string]*int{"A1": &five, "S3": &four, "G": &three})
	tally.add(v10, map[string]*int{"G": &five, "A2": nil})
	tally.add(v11, map[string]*int{"OR1": &four, "A1": &five})
	want := []tallyRow{
		{Item: "A1", Attribute: "availability", N5: 2},
		{Item: "A2", Attribute: "availability", NA: 1},
		{Item: "G", Attribute: "overall", N3: 1, N5: 1},
		{Item: "OR1", Attribute: "competence", N4: 1},
		{Item: "S3", Attribute: "altruistic_support", N4: 1},
	}
	if diff := cmp.Diff(want, tally.rows()); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
	// An item key keeps its attribute in every instrument.
	bad := &surveys.Instrument{Key: "other", Version: 1, Scale: v1.Scale, Items: []surveys.Item{{Key: "A1", Attribute: surveys.Competence, Text: "x"}}}
	if err := surveys.Register(bad); err == nil {
		t.Error("an instrument asking A1 under competence was registered")
	}
}
