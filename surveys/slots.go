package surveys

import "fmt"

// TallySlot is one rated item's place in stored report tallies: the arrays
// report_counters.open_counts and released_counts keep six counts per slot,
// slot i at positions 6i..6i+5.
type TallySlot struct {
	Key       string
	Attribute Attribute
}

// tallySlots is the append-only registry of tally slots. Stored tallies are
// positional, so a slot's index is part of the data: never reorder, remove
// or reuse an entry; a new item key is appended at the end, and keeps its
// attribute in every instrument version that asks it. The first nine are
// the order surveys.AllItems gave when tallies were first stored, so no data
// moved when the registry replaced it.
var tallySlots = []TallySlot{
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

// TallySlots returns the tally slots in slot order.
func TallySlots() []TallySlot { return append([]TallySlot(nil), tallySlots...) }

// checkSlots reports an item of in that has no tally slot, or another
// attribute than its slot: its answers would be dropped from reports, or
// counted under the wrong attribute.
func checkSlots(in *Instrument) error {
	attr := make(map[string]Attribute, len(tallySlots))
	for _, s := range tallySlots {
		attr[s.Key] = s.Attribute
	}
	for _, it := range in.Items {
		a, ok := attr[it.Key]
		switch {
		case !ok:
			return fmt.Errorf("%s: item %s has no tally slot; append one to tallySlots", instrumentID(in.Key, in.Version), it.Key)
		case a != it.Attribute:
			return fmt.Errorf("%s: item %s measures %s, but its tally slot %s", instrumentID(in.Key, in.Version), it.Key, it.Attribute, a)
		}
	}
	return nil
}

// The built-in instruments are checked as Register checks a new one, so a
// missing slot stops the program at start rather than dropping answers.
func init() {
	for _, in := range instruments {
		if err := checkSlots(in); err != nil {
			panic(err)
		}
	}
}
