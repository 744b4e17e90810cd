package models

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// The program's variance components (surveys.ComponentSums) are the one
// place a released group's mentee structure goes: each release adds its
// groups' sums to its program's row, sealed like the mentees' running sums,
// so a copy of the database without the key shows none of them, and even
// with it the row is a sum over every group the program has released.

// componentsPlainLen is the sealed plaintext: six float64.
const componentsPlainLen = 6 * 8

func marshalComponents(c surveys.ComponentSums) []byte {
	b := make([]byte, 0, componentsPlainLen)
	for _, v := range []float64{c.WithinSS, c.WithinDF, c.BetweenSum, c.BetweenNoise, c.BetweenScale, c.BetweenDF} {
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b
}

func unmarshalComponents(b []byte) (surveys.ComponentSums, error) {
	if len(b) != componentsPlainLen {
		return surveys.ComponentSums{}, errors.New("program components: bad length")
	}
	v := make([]float64, 6)
	for i := range v {
		v[i] = math.Float64frombits(binary.BigEndian.Uint64(b[i*8:]))
	}
	return surveys.ComponentSums{WithinSS: v[0], WithinDF: v[1], BetweenSum: v[2], BetweenNoise: v[3], BetweenScale: v[4], BetweenDF: v[5]}, nil
}

func componentsAAD(programID int64, a surveys.Attribute) []byte {
	return []byte("program-components:" + strconv.FormatInt(programID, 10) + ":" + string(a))
}

// addProgramComponents adds a released group's component sums to its
// program's, inside the release's transaction. The row is locked (FOR
// UPDATE on PostgreSQL; SQLite's write transaction is exclusive), so two
// releases of one program add in turn. A row that will not open (the
// operator's secret changed) starts again from this group: the components
// are estimates blended with defaults, and losing the old sums costs
// precision, never a release.
func (d *DB) addProgramComponents(ctx context.Context, programID int64, ms [4]surveys.Moments) (restarted int, err error) {
	ring, err := d.sumsRing(ctx)
	if err != nil {
		return 0, err
	}
	lock := ""
	if d.Dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var rows []struct {
		Attribute, Sums string
	}
	if err := d.db(ctx).Raw(`SELECT attribute, sums FROM program_components WHERE program_id = ?`+lock, programID).Scan(&rows).Error; err != nil {
		return 0, fmt.Errorf("read program components: %w", err)
	}
	have := map[string]string{}
	for _, r := range rows {
		have[r.Attribute] = r.Sums
	}
	for i, m := range ms {
		add := m.ComponentSums()
		if m.Responses == 0 {
			continue
		}
		a := surveys.Attributes[i]
		aad := componentsAAD(programID, a)
		var cur surveys.ComponentSums
		if sealed, ok := have[string(a)]; ok {
			pt, err := ring.openBytes(sealed, aad)
			if err == nil {
				cur, err = unmarshalComponents(pt)
			}
			if err != nil {
				restarted++
				cur = surveys.ComponentSums{}
			}
		}
		sealed := ring.sealBytes(marshalComponents(cur.Plus(add)), aad)
		err := d.db(ctx).Exec(`INSERT INTO program_components (program_id, attribute, sums) VALUES (?, ?, ?)
			ON CONFLICT (program_id, attribute) DO UPDATE SET sums = excluded.sums`, programID, string(a), sealed).Error
		if err != nil {
			return restarted, fmt.Errorf("store program components: %w", err)
		}
	}
	return restarted, nil
}

// programComponents reads and opens a program's component sums. Rows that
// will not open are left out (the defaults stand in for them).
func (d *DB) programComponents(ctx context.Context, programID int64) (map[surveys.Attribute]surveys.ComponentSums, error) {
	var rows []struct {
		Attribute, Sums string
	}
	if err := d.db(ctx).Raw(`SELECT attribute, sums FROM program_components WHERE program_id = ?`, programID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read program components: %w", err)
	}
	out := map[surveys.Attribute]surveys.ComponentSums{}
	if len(rows) == 0 {
		return out, nil
	}
	ring, err := d.sumsRing(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		a := surveys.Attribute(r.Attribute)
		pt, err := ring.openBytes(r.Sums, componentsAAD(programID, a))
		if err != nil {
			continue
		}
		c, err := unmarshalComponents(pt)
		if err != nil {
			continue
		}
		out[a] = c
	}
	return out, nil
}
