package delivery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Defaults for Config.
const (
	DefaultWorkers      = 4
	DefaultMaxAttempts  = 10 // River's backoff (attempt⁴ s) spreads ten tries over about five hours.
	DefaultPollInterval = time.Second
	DefaultFrom         = "Mentorpulse <noreply@localhost>"
)

// Config is what delivery needs from its deployment.
type Config struct {
	// BaseURL is the public origin links are built on, e.g. https://feedback.example.org.
	BaseURL string
	// From is the sender, e.g. "Mentorpulse <feedback@example.org>".
	From string
	// Mailer sends; nil means a LogMailer on Logger.
	Mailer Mailer
	// Keyring seals tokens and keys dedupe hashes (see LoadKeyring).
	Keyring *Keyring
	// Logger receives delivery events; River's own lines from warn up.
	Logger *slog.Logger
	// Workers is how many emails one instance sends at once.
	Workers int
	// MaxAttempts is how often an email is tried before it is marked failed.
	MaxAttempts int
	// PollInterval is how often an idle instance looks for due jobs.
	PollInterval time.Duration
	// Observer, when set, counts emails and releases for monitoring.
	Observer Observer
	// AuditRetentionYears is how long audit entries are kept; 0 means
	// models.DefaultRetentionYears.
	AuditRetentionYears int
	// Clock, when set, is the time the job queue schedules and runs by, for
	// tests that move time forward; it should be the database's clock.
	Clock func() time.Time
}

// Service records meetings and runs their delivery jobs. Until Start it
// only enqueues, which is all a command-line import needs: a running
// service sends.
type Service struct {
	db    *models.DB
	cfg   Config
	log   *slog.Logger
	river *river.Client[*sql.Tx]
	// requests are the QR requests waiting to be handled (see RequestLink).
	requests requestQueue
	// mailStatus is the last check of the mail server (see MailStatus).
	mailStatus mailStatusCache
}

// New builds the service and its River client over db's connection pool.
func New(db *models.DB, cfg Config) (*Service, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Keyring == nil {
		return nil, errors.New("delivery: a keyring is required")
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if u, err := url.Parse(cfg.BaseURL); err != nil || u.Host == "" {
		return nil, fmt.Errorf("delivery: base URL %q is not an origin", cfg.BaseURL)
	}
	if cfg.From == "" {
		cfg.From = DefaultFrom
	}
	if cfg.Mailer == nil {
		cfg.Mailer = LogMailer{Log: cfg.Logger}
	}
	cfg.Workers = cmpOr(cfg.Workers, DefaultWorkers)
	cfg.MaxAttempts = cmpOr(cfg.MaxAttempts, DefaultMaxAttempts)
	cfg.AuditRetentionYears = cmpOr(cfg.AuditRetentionYears, models.DefaultRetentionYears)
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = DefaultPollInterval
	}
	s := &Service{db: db, cfg: cfg, log: cfg.Logger}

	workers := river.NewWorkers()
	river.AddWorker(workers, &sendLinkWorker{s: s})
	river.AddWorker(workers, &sendReminderWorker{s: s})
	river.AddWorker(workers, &expireLinksWorker{s: s})
	river.AddWorker(workers, &sendPasswordLinkWorker{s: s})
	river.AddWorker(workers, &sendSecondFactorResetWorker{s: s})
	river.AddWorker(workers, &sendFeedbackReadyWorker{s: s})
	river.AddWorker(workers, &mixWorker{s: s})
	river.AddWorker(workers, &releaseWorker{s: s})
	river.AddWorker(workers, &retentionWorker{s: s})
	driver, err := db.RiverDriver()
	if err != nil {
		return nil, err
	}
	rc := &river.Config{
		Logger:            slog.New(minLevel{cfg.Logger.Handler(), slog.LevelWarn}),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		MaxAttempts:       cfg.MaxAttempts,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, 100*time.Millisecond),
		JobTimeout:        2 * time.Minute,
		// Finished jobs (see retention.go).
		CompletedJobRetentionPeriod: CompletedJobRetention,
		CancelledJobRetentionPeriod: CancelledJobRetention,
		DiscardedJobRetentionPeriod: DiscardedJobRetention,
		PeriodicJobs: append([]*river.PeriodicJob{
			// The leader sweeps expired links once a minute, whichever
			// instance it is.
			river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return ExpireLinksArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true, ID: "expire_links"}),
		}, append(releasePeriodicJobs(), retentionPeriodicJob())...),
	}
	if cfg.Clock != nil {
		rc.Test.Time = clockTime(cfg.Clock)
		rc.TestOnly = true
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("job queue: %w", err)
	}
	s.river = client
	return s, nil
}

// Start runs the workers until Stop. Jobs left by a stopped or killed
// instance are picked up here.
func (s *Service) Start(ctx context.Context) error {
	if err := s.river.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop lets running jobs finish, or cancels them when ctx ends first; a
// cancelled send is retried by the next instance.
func (s *Service) Stop(ctx context.Context) error {
	s.requests.stop()
	err := s.river.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return s.river.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// River returns the job queue client, for tests and operational tools.
func (s *Service) River() *river.Client[*sql.Tx] { return s.river }

// surveyURL is the mentee's page for a token.
func (s *Service) surveyURL(token string) string { return surveys.SurveyURL(s.cfg.BaseURL, token) }

// messageID is stable per meeting and email: meeting-1-email-0@host, which
// the mailer writes as <meeting-1-email-0@host>.
func (s *Service) messageID(meetingID int64, reminder int) string {
	return fmt.Sprintf("meeting-%d-email-%d@%s", meetingID, reminder, s.messageHost())
}

// messageHost is the right-hand side of our Message-IDs.
func (s *Service) messageHost() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "mentorpulse"
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// clockTime makes a clock River's time source, so that scheduled and
// retried jobs fall due by the same clock as the rest of the service.
type clockTime func() time.Time

func (c clockTime) Now() time.Time { return c() }
func (c clockTime) NowOrNil() *time.Time {
	t := c().UTC()
	return &t
}

var _ rivertype.TimeGenerator = clockTime(nil)

// minLevel drops records below a level: River reports routine events at
// info, which would drown the request log.
type minLevel struct {
	slog.Handler
	level slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.level && m.Handler.Enabled(ctx, l)
}
func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{m.Handler.WithAttrs(as), m.level}
}
func (m minLevel) WithGroup(name string) slog.Handler {
	return minLevel{m.Handler.WithGroup(name), m.level}
}
