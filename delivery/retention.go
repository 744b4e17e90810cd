package delivery

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// Finished jobs are River's to delete: its job cleaner, on the leader,
// removes completed and cancelled jobs after a day and discarded ones (an
// email that failed for good) after a week, long enough to look into. The
// periods are set here rather than left to River's defaults so that
// docs/privacy.md can say them.
const (
	CompletedJobRetention = 24 * time.Hour
	CancelledJobRetention = 24 * time.Hour
	DiscardedJobRetention = 7 * 24 * time.Hour
)

// RetentionArgs is the daily job that purges what every program keeps past
// its retention_years, and the audit log's entries past its own setting
// (see models.DB.Purge). It carries nothing.
type RetentionArgs struct{}

// Kind implements river.JobArgs.
func (RetentionArgs) Kind() string { return "purge_retention" }

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	s *Service
}

func (w *retentionWorker) Work(ctx context.Context, job *river.Job[RetentionArgs]) error {
	sum, err := w.s.db.Purge(ctx, w.s.cfg.AuditRetentionYears)
	if sum.Rows > 0 || sum.AuditEntries > 0 {
		// Counts only; each program's purge has its audit entry.
		w.s.log.Info("purged data past retention", "programs", sum.Programs, "rows", sum.Rows, "audit_entries", sum.AuditEntries)
	}
	return err
}

// retentionPeriodicJob runs the purge daily on the leader, and at start so
// that a service down at the usual hour still purges. A run repeated finds
// nothing and writes nothing.
func retentionPeriodicJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: "purge_retention"})
}

// Timeout lets a first purge of years of data outlast the queue's usual
// two minutes.
func (w *retentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return 30 * time.Minute }
