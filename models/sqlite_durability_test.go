package models_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// An acknowledged submission must survive a power cut: in WAL mode only
// synchronous=FULL syncs the log on every commit (NORMAL may lose the last
// ones). Every pooled connection must run with it, not just the first.
func TestSQLiteAcknowledgedCommitsSurvivePowerLoss(t *testing.T) {
	db := openSQLite(t)
	sqlDB, _ := db.SQL()
	ctx := context.Background()
	var conns []*sql.Conn
	for range 4 {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conns = append(conns, conn)
	}
	for i, conn := range conns {
		var level int
		if err := conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&level); err != nil {
			t.Fatal(err)
		}
		if level < 2 { // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
			t.Errorf("connection %d runs with synchronous=%d, want FULL (2) or stronger", i, level)
		}
	}
}

// BenchmarkSubmitSQLite is the submission throughput of the embedded
// database: one valid submission per iteration, each its own durable commit,
// from one client and from eight at once. docs/benchmarks.md ("SQLite
// durability") records it with synchronous=NORMAL and FULL.
func BenchmarkSubmitSQLite(b *testing.B) {
	for _, clients := range []int{1, 8} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			db, err := models.Open("sqlite:" + filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			if _, err := db.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			f := newFixture(b, db, 5, 50)
			tokens := make([]string, b.N)
			for i := range tokens {
				inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: f.residents[i%len(f.residents)].ID})
				if err != nil {
					b.Fatal(err)
				}
				tokens[i] = inv.Token
			}
			rng := rand.New(rand.NewPCG(3, 4))
			subs := make([]surveys.Submission, b.N)
			for i := range subs {
				subs[i] = randomSubmission(rng, fmt.Sprint(i))
			}
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			for range clients {
				wg.Go(func() {
					for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
						if err := db.SubmitResponse(ctx, tokens[i], surveys.Default(), subs[i]); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
		})
	}
}
