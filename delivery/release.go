package delivery

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// MixArgs is the periodic job that moves held answers into responses (see
// models.DB.MixHeld). It carries nothing.
type MixArgs struct{}

// Kind implements river.JobArgs.
func (MixArgs) Kind() string { return "mix_held_answers" }

// ReleaseArgs is the periodic job that applies the release rule at each
// window's close (see models.DB.ReleaseClosedWindows) and queues a "feedback
// ready" email per resident released. It carries nothing.
type ReleaseArgs struct{}

// Kind implements river.JobArgs.
func (ReleaseArgs) Kind() string { return "release_windows" }

type mixWorker struct {
	river.WorkerDefaults[MixArgs]
	s *Service
}

func (w *mixWorker) Work(ctx context.Context, job *river.Job[MixArgs]) error {
	n, err := w.s.db.MixHeld(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		w.s.log.Info("mixed held answers", "count", n)
	}
	return nil
}

type releaseWorker struct {
	river.WorkerDefaults[ReleaseArgs]
	s *Service
}

func (w *releaseWorker) Work(ctx context.Context, job *river.Job[ReleaseArgs]) error {
	// Each resident released is told once, by a job queued in the
	// transaction of their release.
	sum, err := w.s.db.ReleaseClosedWindowsThen(ctx, w.s.queueFeedbackReady)
	if err != nil {
		return err
	}
	if w.s.cfg.Observer != nil && sum.Released > 0 {
		w.s.cfg.Observer.GroupsReleased(sum.Released)
	}
	if sum.Judged > 0 {
		// Counts only: which resident was released is in the reports.
		w.s.log.Info("judged closed windows", "residents", sum.Judged, "released", sum.Released, "responses", sum.Responses)
	}
	if sum.UnopenedSums > 0 {
		w.s.log.Warn("released groups had mentee sums sealed with a key the server no longer has (was MENTORPULSE_SECRET_KEY changed mid-window?): "+
			"those mentees' responses count as unknown raters' in the mentee-level statistics", "sums", sum.UnopenedSums)
	}
	return nil
}

// releasePeriodicJobs run on the leader: the mixer and the release job,
// each once a minute and at start, so a service started past a window's
// end releases it at once. Both are idempotent, so a run that overlaps the
// next, or one on a former leader, does no harm.
func releasePeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return MixArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "mix_held_answers"}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) { return ReleaseArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "release_windows"}),
	}
}
