package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// seedBulk loads responses spread over nine months about residents of one
// program, through the bulk loader.
func seedBulk(b *testing.B, residents, responses int) (*models.DB, *fixture) {
	b.Helper()
	db := dbtest.New(b)
	f := newFixture(b, db, 5, residents)
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	span := 270 * 24 * time.Hour
	ctx := context.Background()
	err := db.WithTx(ctx, func(ctx context.Context) error {
		l := db.NewBulkLoader()
		for i := range responses {
			at := start.Add(time.Duration(float64(i) / float64(responses) * float64(span)))
			r := f.residents[rng.IntN(residents)]
			if err := l.Add(ctx, models.BulkResponse{ResidentID: r.ID, At: at, Instrument: surveys.Default(), Submission: randomSubmission(rng, fmt.Sprint(i))}); err != nil {
				return err
			}
		}
		return l.Close(ctx)
	})
	if err != nil {
		b.Fatal(err)
	}
	return db, f
}

var benchSizes = []int{10_000, 100_000}

var benchPeriod = surveys.Period{From: "2026-01", To: "2026-12"}

// BenchmarkResidentReport: one resident's full report (JSON data, comments
// included) among 200 residents.
func BenchmarkResidentReport(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			db, f := seedBulk(b, 200, n)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, err := db.ResidentReport(ctx, f.residents[i%len(f.residents)].ID, benchPeriod); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkProgramReport: the director's report for 200 residents.
func BenchmarkProgramReport(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("responses=%d", n), func(b *testing.B) {
			db, f := seedBulk(b, 200, n)
			ctx := context.Background()
			b.ResetTimer()
			for b.Loop() {
				if _, err := db.ProgramReport(ctx, f.program.ID, models.ProgramReportFilter{Period: benchPeriod}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSubmit measures the submission hot path, aggregates included,
// with parallel mentees answering about 200 residents. Links are created
// before the timer starts.
func BenchmarkSubmit(b *testing.B) {
	db := dbtest.New(b)
	f := newFixture(b, db, 5, 200)
	ctx := context.Background()
	tokens := make([]string, b.N)
	for i := range tokens {
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.residents[i%200].ID})
		if err != nil {
			b.Fatal(err)
		}
		tokens[i] = inv.Token
	}
	rng := rand.New(rand.NewPCG(5, 6))
	sub := randomSubmission(rng, "bench")
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if err := db.SubmitResponse(ctx, tokens[i], surveys.Default(), sub); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
}
