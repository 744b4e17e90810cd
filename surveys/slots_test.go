package surveys

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shippedSlots is every tally slot that has ever been stored, in slot order.
// Stored tallies are positional: when you append to tallySlots, append here
// too; never edit or remove a line.
var shippedSlots = []TallySlot{
	{"A1", Availability},
	{"A2", Availability},
	{"C1", Competence},
	{"C2", Competence},
	{"C3", Competence},
	{"S1", AltruisticSupport},
	{"S2", AltruisticSupport},
	{"S3", AltruisticSupport},
	{"G", Overall},
}

func TestTallySlotsNeverMove(t *testing.T) {
	if diff := cmp.Diff(shippedSlots, TallySlots()); diff != "" {
		t.Errorf("tally slots moved, vanished or were added without shippedSlots (-shipped +now):\n%s", diff)
	}
}

// The registry replaced the AllItems order without a data migration; that
// holds only if it starts in the order AllItems gave with the instruments
// that existed then.
func TestTallySlotsStartInTheOrderTalliesWereStored(t *testing.T) {
	var fromAllItems []TallySlot
	for _, it := range AllItems() {
		fromAllItems = append(fromAllItems, TallySlot{it.Key, it.Attribute})
	}
	if diff := cmp.Diff(fromAllItems, TallySlots()[:len(fromAllItems)]); diff != "" {
		t.Errorf("registry does not start in the AllItems order of the built-in instruments (-AllItems +slots):\n%s", diff)
	}
}

func TestNewVersionsDoNotMoveTallySlots(t *testing.T) {
	savedSlots, savedInstruments := tallySlots, instruments
	t.Cleanup(func() { tallySlots, instruments = savedSlots, savedInstruments })
	instruments = map[string]*Instrument{}
	for id, in := range savedInstruments {
		instruments[id] = in
	}
	// Adding items the way a developer would: slots appended at the end.
	tallySlots = append(slices.Clip(savedSlots), TallySlot{"A3", Availability}, TallySlot{"0A", Overall}, TallySlot{"00", Competence})
	slotOf := func() map[string]int {
		m := map[string]int{}
		for i, s := range TallySlots() {
			m[s.Key] = i
		}
		return m
	}
	allItemsIndex := func(key string) int {
		return slices.IndexFunc(AllItems(), func(it Item) bool { return it.Key == key })
	}
	before := slotOf()

	v1 := Default()
	v2 := &Instrument{Key: DefaultKey, Version: 2, Scale: v1.Scale, Items: append(slices.Clip(v1.Items), Item{"A3", Availability, "new in 2"})}
	v10 := &Instrument{Key: DefaultKey, Version: 10, Scale: v1.Scale,
		Items: append([]Item{{"0A", Overall, "new in 10, sorts first"}, v1.Items[8]}, v1.Items[:5]...)}
	other := &Instrument{Key: "attending-mentor", Version: 1, Scale: v1.Scale, Items: []Item{{"00", Competence, "sorts before every key"}, v1.Items[0]}}

	if err := Register(v2); err != nil {
		t.Fatal(err)
	}
	a3 := allItemsIndex("A3")
	for _, in := range []*Instrument{v10, other} {
		if err := Register(in); err != nil {
			t.Fatal(err)
		}
	}
	// The bug the registry fixes: "@10" sorts before "@2" and a new
	// instrument key before the old one, so AllItems positions shift.
	if allItemsIndex("A3") == a3 && allItemsIndex("00") != 0 {
		t.Fatalf("AllItems did not shift (A3 at %d, 00 at %d); this test no longer shows the hazard", allItemsIndex("A3"), allItemsIndex("00"))
	}
	after := slotOf()
	for key, i := range before {
		if after[key] != i {
			t.Errorf("slot of %s moved from %d to %d after registering versions 2 and 10", key, i, after[key])
		}
	}
	for _, key := range []string{"A1", "S3", "G"} {
		if after[key] != slices.IndexFunc(shippedSlots, func(s TallySlot) bool { return s.Key == key }) {
			t.Errorf("slot of %s = %d, not where stored tallies have it", key, after[key])
		}
	}
}

func TestRegisterRefusesItemsWithoutTheirSlot(t *testing.T) {
	saved := instruments
	t.Cleanup(func() { instruments = saved })
	instruments = map[string]*Instrument{}
	for id, in := range saved {
		instruments[id] = in
	}
	v1 := Default()
	for _, in := range []*Instrument{
		{Key: DefaultKey, Version: 1, Items: v1.Items},
		{Key: DefaultKey, Version: 3, Items: []Item{{"Z9", Overall, "no slot"}}},
		{Key: DefaultKey, Version: 4, Items: []Item{{"G", Competence, "slot of another attribute"}}},
	} {
		if err := Register(in); err == nil {
			t.Errorf("Register(%s@%d) accepted it", in.Key, in.Version)
		}
	}
}
