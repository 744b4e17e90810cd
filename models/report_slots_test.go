package models

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// storedTally is an open_counts array as submissions stored it before the
// slot registry, when slots followed surveys.AllItems for version 1:
// A1 got one 5, A2 two 4s, S2 one "not applicable", G three 3s.
var storedTally = itemCounts{
	0, 0, 0, 0, 1, 0, // A1
	0, 0, 0, 2, 0, 0, // A2
	0, 0, 0, 0, 0, 0, // C1
	0, 0, 0, 0, 0, 0, // C2
	0, 0, 0, 0, 0, 0, // C3
	0, 0, 0, 0, 0, 0, // S1
	0, 0, 0, 0, 0, 1, // S2
	0, 0, 0, 0, 0, 0, // S3
	0, 0, 3, 0, 0, 0, // G
}

var storedTallyRows = []tallyRow{
	{Item: "A1", Attribute: "availability", N5: 1},
	{Item: "A2", Attribute: "availability", N4: 2},
	{Item: "S2", Attribute: "altruistic_support", NA: 1},
	{Item: "G", Attribute: "overall", N3: 3},
}

func TestStoredTalliesReadTheSameAfterNewVersions(t *testing.T) {
	if diff := cmp.Diff(storedTallyRows, storedTally.rows()); diff != "" {
		t.Fatalf("stored tally reads (-want +got):\n%s", diff)
	}
	v1 := surveys.Default()
	// Version 10 sorts before version 2 and asks G first; version 2 drops S3.
	for _, in := range []*surveys.Instrument{
		{Key: v1.Key, Version: 2, Scale: v1.Scale, Items: slices.Delete(slices.Clone(v1.Items), 7, 8)},
		{Key: v1.Key, Version: 10, Scale: v1.Scale, Items: append([]surveys.Item{v1.Items[8]}, v1.Items[:8]...)},
	} {
		if _, err := surveys.Lookup(in.Key, in.Version); err == nil {
			continue // registered by an earlier run of this test binary
		}
		if err := surveys.Register(in); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(reportItems, surveys.TallySlots()); diff != "" {
		t.Errorf("slots changed with new versions (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(storedTallyRows, storedTally.rows()); diff != "" {
		t.Errorf("stored tally reads differently after registering versions 2 and 10 (-want +got):\n%s", diff)
	}
	// A response to version 10, which asks G first, counts G in its stored slot.
	five := 5
	g := slices.IndexFunc(reportItems, func(s surveys.TallySlot) bool { return s.Key == "G" })
	if got := countsOf(map[string]*int{"G": &five}); g != 8 || got[g*slotsPerItem+4] != 1 {
		t.Errorf("a 5 for G is not counted in G's stored slot 8 (slot %d): %v", g, got)
	}
}
