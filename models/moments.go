package models

import (
	"context"
	"fmt"
	"sort"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// Mentee-level moments (issue 11). While a group is open, window_moments
// keeps each mentee's sealed count, sum and sum of squares of response
// scores per attribute (sums_seal.go), written by the mixer only. At release
// they become one report_release_moments row per attribute: sums over the
// group's responses and over its mentees (surveys.Moments), with no mentee
// named; the per-mentee rows go with the window_mentees markers.

// instrumentRef names an instrument version.
type instrumentRef struct {
	key     string
	version int
}

// instruments looks instruments up once per key and version.
type instruments struct {
	d *DB
	m map[instrumentRef]*surveys.Instrument
}

func (d *DB) instrumentSet() instruments {
	return instruments{d: d, m: map[instrumentRef]*surveys.Instrument{}}
}

func (c instruments) scores(ctx context.Context, key string, version int, answers string) (menteeSums, error) {
	inst, ok := c.m[instrumentRef{key, version}]
	if !ok {
		var err error
		if inst, err = c.d.InstrumentFor(ctx, key, version); err != nil {
			return menteeSums{}, err
		}
		c.m[instrumentRef{key, version}] = inst
	}
	var ans map[string]*int
	if err := decodeAnswers(answers, &ans); err != nil {
		return menteeSums{}, err
	}
	return sumsOf(inst.Scores(ans)), nil
}

// momentsRow is a window_moments row.
type momentsRow struct {
	ResidentID int64
	WindowID   string
	MenteeHash string
	ProgramID  int64
	Sums       string
}

func (r momentsRow) key() momentsKey { return momentsKey{r.ResidentID, r.WindowID, r.MenteeHash} }

// residentChunk bounds the ids one IN list carries.
const residentChunk = 200

// addMoments adds the scores of mixed responses with a known mentee to that
// mentee's sums, in the mixer's transaction. Every sums row of every
// resident in the batch is sealed again (a fresh nonce), not only those that
// changed, and the rows are written in random order: the mix's xmin and the
// ciphertexts then tell only which residents had responses in the batch,
// which the responses' own xmin tells, not which of their mentees answered.
// A row that does not open (the secret changed mid-window) is left as it
// is, and the release counts its mentee's responses as unknown raters'.
func (d *DB) addMoments(ctx context.Context, held []heldResponse) error {
	if len(held) == 0 {
		return nil
	}
	ring, err := d.sumsRing(ctx)
	if err != nil {
		return err
	}
	insts := d.instrumentSet()
	adds := map[momentsKey]menteeSums{}
	program := map[int64]int64{}
	for _, h := range held {
		program[h.ResidentID] = h.ProgramID
		if h.MenteeHash == nil {
			continue
		}
		s, err := insts.scores(ctx, h.InstrumentKey, h.InstrumentVersion, h.Answers)
		if err != nil {
			return err
		}
		k := momentsKey{h.ResidentID, h.WindowID, *h.MenteeHash}
		cur := adds[k]
		cur.add(s)
		adds[k] = cur
	}
	residents := make([]int64, 0, len(program))
	for id := range program {
		residents = append(residents, id)
	}
	var out []momentsRow
	for len(residents) > 0 {
		n := min(len(residents), residentChunk)
		var rows []momentsRow
		err := d.db(ctx).Raw(`SELECT resident_id, window_id, mentee_hash, program_id, sums FROM window_moments WHERE resident_id IN ?`,
			residents[:n]).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("read mentee sums: %w", err)
		}
		for _, r := range rows {
			k := r.key()
			sums, err := ring.open(r.Sums, k)
			if err != nil {
				delete(adds, k)
				continue
			}
			sums.add(adds[k])
			delete(adds, k)
			r.Sums = ring.seal(sums, k)
			out = append(out, r)
		}
		residents = residents[n:]
	}
	for k, sums := range adds {
		out = append(out, momentsRow{ResidentID: k.resident, WindowID: k.window, MenteeHash: k.hash, ProgramID: program[k.resident], Sums: ring.seal(sums, k)})
	}
	shuffle(out)
	flat := make([]any, 0, len(out)*5)
	for _, r := range out {
		flat = append(flat, r.ResidentID, r.WindowID, r.MenteeHash, r.ProgramID, r.Sums)
	}
	err = insertRows(ctx, d, `INSERT INTO window_moments (resident_id, window_id, mentee_hash, program_id, sums) VALUES `,
		` ON CONFLICT (resident_id, window_id, mentee_hash) DO UPDATE SET sums = excluded.sums`, 5, flat)
	if err != nil {
		return fmt.Errorf("store mentee sums: %w", err)
	}
	return nil
}

// groupResponse is a response of a group being judged.
type groupResponse struct {
	ID, WindowID, Answers string
	InstrumentKey         string
	InstrumentVersion     int
}

// groupMoments builds a group's moments per attribute (surveys.Attributes
// order): the response totals from its responses, one cluster per mentee
// from the sealed sums of its windows before current (a mentee is one
// cluster however many windows the group spans), and whatever the totals
// hold beyond the clusters as unknown raters. unopened counts the sums rows
// that would not open.
func (d *DB) groupMoments(ctx context.Context, residentID int64, current string, group []groupResponse) (out [4]surveys.Moments, unopened int, err error) {
	insts := d.instrumentSet()
	var total menteeSums
	for _, r := range group {
		s, err := insts.scores(ctx, r.InstrumentKey, r.InstrumentVersion, r.Answers)
		if err != nil {
			return out, 0, err
		}
		total.add(s)
	}
	var rows []momentsRow
	err = d.db(ctx).Raw(`SELECT resident_id, window_id, mentee_hash, sums FROM window_moments WHERE resident_id = ? AND window_id < ?`,
		residentID, current).Scan(&rows).Error
	if err != nil {
		return out, 0, fmt.Errorf("read mentee sums: %w", err)
	}
	ring, err := d.sumsRing(ctx)
	if err != nil {
		return out, 0, err
	}
	byMentee := map[string]menteeSums{}
	for _, r := range rows {
		s, err := ring.open(r.Sums, r.key())
		if err != nil {
			unopened++
			continue
		}
		m := byMentee[r.MenteeHash]
		m.add(s)
		byMentee[r.MenteeHash] = m
	}
	hashes := make([]string, 0, len(byMentee))
	for h := range byMentee {
		hashes = append(hashes, h)
	}
	sort.Strings(hashes)
	for i := range out {
		var clustered sum3
		for _, h := range hashes {
			c := byMentee[h][i]
			out[i].AddCluster(int64(c.N), c.Sum, c.SumSq, true)
			clustered.add(c)
		}
		t := total[i]
		out[i].AddSingles(int64(t.N)-int64(clustered.N), t.Sum-clustered.Sum, t.SumSq-clustered.SumSq)
	}
	return out, unopened, nil
}

// insertReleaseMoments stores a release's moments, one row per attribute
// that any response rated, and adds its mentee structure to the program's
// variance components; it returns how many component rows would not open
// and started again.
func (d *DB) insertReleaseMoments(ctx context.Context, releaseID, residentID, programID int64, window string, ms [4]surveys.Moments) (int, error) {
	var flat []any
	for i, m := range ms {
		if m.Responses == 0 {
			continue
		}
		flat = append(flat, releaseID, residentID, programID, window, string(surveys.Attributes[i]), m.Responses, m.Sum, m.SumSq,
			m.Mentees, m.Clusters, m.EffectiveClusters)
	}
	err := insertRows(ctx, d, `INSERT INTO report_release_moments (release_id, resident_id, program_id, window_id, attribute, responses, sum, sum_sq,
		mentees, clusters, effective_clusters) VALUES `,
		` ON CONFLICT (release_id, attribute) DO NOTHING`, 11, flat)
	if err != nil {
		return 0, fmt.Errorf("store release moments: %w", err)
	}
	return d.addProgramComponents(ctx, programID, ms)
}
