package models

import (
	"context"
	"fmt"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// A group whose responses answered different instrument versions (a
// program published one mid-window) holds items that only some of its
// mentees were asked, perhaps one. Released figures would let their
// answers be worked out (the attribute's distribution less its other
// items' distributions), so such a group is released on the items every
// one of its responses was asked: the others' answers are not released,
// neither as items nor inside their attribute's scores.

// groupInstruments returns each response's instrument and the items all of
// them ask; mixed is true when some instrument asks an item not all do.
func (d *DB) groupInstruments(ctx context.Context, group []groupResponse) (insts []*surveys.Instrument, common map[string]bool, mixed bool, err error) {
	cache := map[instrumentRef]*surveys.Instrument{}
	insts = make([]*surveys.Instrument, len(group))
	counts := map[string]int{}
	seen := map[instrumentRef]bool{}
	for i, r := range group {
		ref := instrumentRef{r.InstrumentKey, r.InstrumentVersion}
		in := cache[ref]
		if in == nil {
			if in, err = d.InstrumentFor(ctx, r.InstrumentKey, r.InstrumentVersion); err != nil {
				return nil, nil, false, fmt.Errorf("group instruments: %w", err)
			}
			cache[ref] = in
		}
		insts[i] = in
		if !seen[ref] {
			seen[ref] = true
			for _, it := range in.Items {
				counts[it.Key]++
			}
		}
	}
	common = map[string]bool{}
	for key, n := range counts {
		if n == len(seen) {
			common[key] = true
		} else {
			mixed = true
		}
	}
	return insts, common, mixed, nil
}

// restrict returns in with only the items in keep (in itself when all are).
func restrict(in *surveys.Instrument, keep map[string]bool) *surveys.Instrument {
	all := true
	for _, it := range in.Items {
		if !keep[it.Key] {
			all = false
			break
		}
	}
	if all {
		return in
	}
	out := *in
	out.Items = nil
	for _, it := range in.Items {
		if keep[it.Key] {
			out.Items = append(out.Items, it)
		}
	}
	return &out
}

// commonMoments are a mixed group's moments: response totals scored on
// the common items only, with the mentee counts of the sealed sums (which
// scored every item a response was asked, so they give the group's mentee
// structure but not its sums). Their variance components are not added to
// the program's: those need sums and structure that agree.
func commonMoments(clustered [4]surveys.Moments, insts []*surveys.Instrument, group []groupResponse, common map[string]bool) ([4]surveys.Moments, error) {
	var out [4]surveys.Moments
	for i, r := range group {
		var ans map[string]*int
		if err := decodeAnswers(r.Answers, &ans); err != nil {
			return out, err
		}
		scores := restrict(insts[i], common).Scores(ans)
		for j, a := range surveys.Attributes {
			if v := scores[a]; v != nil {
				out[j].Responses++
				out[j].Sum += *v
				out[j].SumSq += *v * *v
			}
		}
	}
	for j := range out {
		if out[j].Responses == 0 {
			continue
		}
		c := clustered[j]
		out[j].Mentees = min(c.Mentees, out[j].Responses)
		out[j].Clusters = min(max(c.Clusters, 1), out[j].Responses)
		out[j].EffectiveClusters = min(max(c.EffectiveClusters, 1), out[j].Clusters)
	}
	return out, nil
}
