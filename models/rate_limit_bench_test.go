package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

// BenchmarkTakeRateToken: what the shared limiter adds to a request on
// PostgreSQL, one atomic upsert (docs/benchmarks.md), over 1,000 keys so
// rows are updated as under load from many addresses.
func BenchmarkTakeRateToken(b *testing.B) {
	db := dbtest.New(b)
	ctx := context.Background()
	bucket := models.RateBucket{Limiter: "bench", Events: 1_000_000, Per: time.Minute}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := 0; b.Loop(); i++ {
		if _, _, err := db.TakeRateToken(ctx, bucket, fmt.Sprintf("10.0.%d.%d", i%1000/250, i%250), now); err != nil {
			b.Fatal(err)
		}
	}
}
