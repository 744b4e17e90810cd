package surveys

import (
	"math"
	"sort"
)

// ItemSummary is one item on the per-item view: its mean, distribution and
// the shares of 5s and of 3 or lower, each with an interval, so that "hard
// to reach between meetings" can be told from "meetings felt rushed". The
// figures are withheld (null) when the item's attribute is, or when fewer
// than min_responses rated the item.
type ItemSummary struct {
	Key           string           `json:"key"`
	Text          string           `json:"text"`
	Attribute     Attribute        `json:"attribute"`
	Mean          *float64         `json:"mean"`
	CI95          *[2]float64      `json:"ci95"`
	N             int64            `json:"n"`
	NotApplicable int64            `json:"not_applicable"`
	Distribution  map[string]int64 `json:"distribution"`
	TopBox        Share            `json:"top_box"`
	ThreeOrLower  Share            `json:"three_or_lower"`
	// Versions are the instrument versions that ask the item ("key@n"),
	// among the program's instruments; WordingChanged is true when its
	// source-language text differs between them (the key staying the same
	// means its meaning did not: docs/instrument.md).
	Versions       []string `json:"versions"`
	WordingChanged bool     `json:"wording_changed"`
	// Partial is true when some released groups' answers to the item are
	// left out: they asked it of only some of their responses (a version
	// adding or dropping it was published mid-group), so those answers
	// could come from a single mentee.
	Partial bool `json:"partial"`
	// est is the estimate behind Mean and CI95 (nil when not shown).
	est *Estimate
}

// itemSummaries lists every item rated in pools, in the instruments' order,
// with the figures of those whose attribute is shown. An item is one rating
// per response, so its mean is the mean of its ratings; its interval and
// shares use the design effect of its attribute (ratings of one mentee are
// alike) and a variance moderated toward the program's components, as the
// attribute's own.
func itemSummaries(catalogue []Item, instruments []*Instrument, pools map[Attribute]*pooled, attrs []AttributeSummary, comps map[Attribute]Components, minResponses int) []ItemSummary {
	shown := map[Attribute]AttributeSummary{}
	for _, a := range attrs {
		shown[a.Key] = a
	}
	order := map[string]int{}
	texts := map[string]string{}
	if catalogue == nil {
		catalogue = AllItems()
	}
	for i, it := range catalogue {
		order[it.Key] = i
		texts[it.Key] = it.Text
	}
	out := []ItemSummary{}
	for a, p := range pools {
		for key := range p.partial {
			if _, ok := p.items[key]; !ok {
				p.items[key] = Counts{}
			}
		}
		for key, c := range p.items {
			it := ItemSummary{Key: key, Text: texts[key], Attribute: a, N: c.Answers(), NotApplicable: c.NotApplicable, Partial: p.partial[key]}
			it.Versions, it.WordingChanged = itemVersions(key, instruments)
			if t, ok := latestText(key, instruments); ok {
				it.Text = t
			}
			s := shown[a]
			if !s.Suppressed() && it.N > 0 && it.N >= int64(minResponses) {
				it.fill(c, s, componentsOf(comps, a))
			}
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		oi, iok := order[out[i].Key]
		oj, jok := order[out[j].Key]
		if iok != jok {
			return iok
		}
		if oi != oj {
			return oi < oj
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// componentsOf returns the attribute's components, DefaultComponents when
// there are none.
func componentsOf(comps map[Attribute]Components, a Attribute) Components {
	if c, ok := comps[a]; ok {
		return c
	}
	return DefaultComponents
}

// fill computes an item's figures.
func (it *ItemSummary) fill(c Counts, attr AttributeSummary, comps Components) {
	n := float64(it.N)
	mean := c.Mean()
	var ss float64
	for v, k := range c.Ratings {
		d := float64(v+1) - mean
		ss += d * d * float64(k)
	}
	deff := math.Max(1, attr.designEffect)
	perResponse := comps.Within + comps.Between
	s2 := (moderationDF*perResponse + ss) / (moderationDF + n - 1)
	e := Estimate{Mean: mean, Var: s2 * deff / n, DF: moderationDF + math.Max(0, n/deff-1)}
	lo, hi := e.Interval95()
	it.est = &e
	it.Mean = ptr(mean)
	it.CI95 = interval(lo, hi)
	it.Distribution = distribution(c)
	it.TopBox = WilsonShare(c.Ratings[4], it.N, deff)
	it.ThreeOrLower = WilsonShare(c.Ratings[0]+c.Ratings[1]+c.Ratings[2], it.N, deff)
}

// itemVersions lists the versions among instruments (the program's,
// oldest first; the default instrument when none are given) that ask the
// item, and whether its source text differs between them.
func itemVersions(item string, instruments []*Instrument) (versions []string, changed bool) {
	var first string
	for _, in := range programInstruments(instruments) {
		it, ok := in.Item(item)
		if !ok {
			continue
		}
		versions = append(versions, instrumentID(in.Key, in.Version))
		if len(versions) == 1 {
			first = it.Text
		} else if it.Text != first {
			changed = true
		}
	}
	if versions == nil {
		versions = []string{}
	}
	return versions, changed
}

// latestText is the item's text in the newest of the instruments that
// asks it.
func latestText(item string, instruments []*Instrument) (string, bool) {
	ins := programInstruments(instruments)
	for i := len(ins) - 1; i >= 0; i-- {
		if it, ok := ins[i].Item(item); ok {
			return it.Text, true
		}
	}
	return "", false
}

// programInstruments is instruments, or the default when there are none.
func programInstruments(instruments []*Instrument) []*Instrument {
	if len(instruments) == 0 {
		return []*Instrument{Default()}
	}
	return instruments
}
