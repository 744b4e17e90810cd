package models

import (
	"context"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// InsertRowForTest stores v as it is, skipping the checks the Create
// functions make, so a test can reach the database's own constraints.
func (d *DB) InsertRowForTest(ctx context.Context, v any) error {
	return d.db(ctx).Create(v).Error
}

// OpenSumsForTest opens a window_moments sums value with a ring derived from
// secret alone, and returns each attribute's count, sum and sum of squares.
func OpenSumsForTest(secret, sealed string, residentID int64, window, menteeHash string) ([4][3]float64, error) {
	var out [4][3]float64
	ring, err := newSumsRing(secret)
	if err != nil {
		return out, err
	}
	m, err := ring.open(sealed, momentsKey{residentID, window, menteeHash})
	if err != nil {
		return out, err
	}
	for i, s := range m {
		out[i] = [3]float64{float64(s.N), s.Sum, s.SumSq}
	}
	return out, nil
}

// ResidentInputForTest returns what ResidentReport computes its report from.
func (d *DB) ResidentInputForTest(ctx context.Context, residentID int64, period surveys.Period) (surveys.ResidentInput, error) {
	return d.residentInput(ctx, residentID, period)
}

// ProgramInputForTest returns what ProgramReport computes its report from.
func (d *DB) ProgramInputForTest(ctx context.Context, p *Program, f ProgramReportFilter) (surveys.ProgramInput, error) {
	return d.programInput(ctx, p, f)
}

// ProgramComponentsForTest opens a program's variance-component sums.
func (d *DB) ProgramComponentsForTest(ctx context.Context, programID int64) (map[surveys.Attribute]surveys.ComponentSums, error) {
	return d.programComponents(ctx, programID)
}
