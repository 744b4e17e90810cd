package surveys

import "fmt"

// Tallies are kept per item key (models), so an item key must mean one
// attribute in every instrument that asks it: answers to "A1" of any
// version or program are counted together, under one attribute.

// checkItemAttributes reports an item of in whose key another registered
// instrument asks under another attribute: its answers would be counted
// under the wrong attribute.
func checkItemAttributes(in *Instrument) error {
	for _, other := range instruments {
		for _, it := range in.Items {
			if o, ok := other.Item(it.Key); ok && o.Attribute != it.Attribute {
				return fmt.Errorf("%s: item %s measures %s, but %s asks it under %s; a changed meaning needs a new key",
					instrumentID(in.Key, in.Version), it.Key, it.Attribute, instrumentID(other.Key, other.Version), o.Attribute)
			}
		}
	}
	return nil
}
