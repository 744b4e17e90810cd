package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Demo accounts share one password, printed by the demo command.
const (
	demoProgram  = "Internal Medicine Residency (demo)"
	demoPassword = "demo-password-2026"
)

// demoProfile is how a demo resident tends to be rated per attribute.
// weight is how many meetings they have beside the others (1 when zero);
// lift raises one attribute by that much in the later part of the demo
// (from demoLiftFrom on), after the goal they set on it.
type demoProfile struct {
	name   string
	pgy    int
	means  map[surveys.Attribute]float64
	weight float64
	lift   map[surveys.Attribute]float64
}

// demoLiftFrom is the share of the demo's span after which a profile's lift
// applies: the window after the one its goal was set in (demoGoalAt).
const (
	demoGoalAt   = 0.42
	demoLiftFrom = 0.5
)

var demoProfiles = []demoProfile{
	{"Dr. Amara Okafor", 3, map[surveys.Attribute]float64{surveys.Availability: 4.5, surveys.Competence: 4.6, surveys.AltruisticSupport: 4.7}, 0, nil},
	{"Dr. Ben Hartley", 2, map[surveys.Attribute]float64{surveys.Availability: 2.6, surveys.Competence: 4.3, surveys.AltruisticSupport: 3.9}, 2,
		map[surveys.Attribute]float64{surveys.Availability: 1.5}},
	{"Dr. Chloé Martin", 2, map[surveys.Attribute]float64{surveys.Availability: 4.2, surveys.Competence: 3.3, surveys.AltruisticSupport: 4.4}, 0, nil},
	{"Dr. Dev Raman", 3, map[surveys.Attribute]float64{surveys.Availability: 3.9, surveys.Competence: 4.1, surveys.AltruisticSupport: 2.8}, 1.5, nil},
	{"Dr. Elena Petrova", 1, map[surveys.Attribute]float64{surveys.Availability: 4.0, surveys.Competence: 3.8, surveys.AltruisticSupport: 4.1}, 0, nil},
	{"Dr. Farid Haddad", 1, map[surveys.Attribute]float64{surveys.Availability: 3.4, surveys.Competence: 3.6, surveys.AltruisticSupport: 3.8}, 0, nil},
	{"Dr. Grace Liu", 3, map[surveys.Attribute]float64{surveys.Availability: 4.8, surveys.Competence: 4.4, surveys.AltruisticSupport: 4.5}, 0, nil},
	{"Dr. Hugo Santos", 2, map[surveys.Attribute]float64{surveys.Availability: 3.1, surveys.Competence: 3.0, surveys.AltruisticSupport: 3.3}, 0, nil},
}

// The demo's comments: each is used at most once per resident, so a
// report never repeats itself.
var demoKeepDoing = []string{
	"Walked me through the admission orders step by step.",
	"Asked how I was coping after a hard night on call.",
	"Gave me a clear plan for the next two weeks.",
	"Made time even though the ward was busy.",
	"Shared how they prepare for case presentations.",
	"Listened to the whole story before giving advice.",
	"Told me exactly what to read before my first clinic.",
	"Was honest about the mistakes they made as an intern.",
	"Followed up on what we discussed last time.",
	"Helped me prioritise a long list of tasks on a heavy day.",
	"Went through my discharge summary line by line.",
	"Introduced me to the fellow running the cardiology project.",
	"Asked what I want from residency before telling me what to do.",
	"Answered my message the same evening.",
	"Showed me how they structure a family meeting.",
	"Noticed I was struggling with the pager and offered a system.",
	"Explained the reasoning behind the antibiotic choice, not just the choice.",
	"Let me lead the plan and only stepped in when I asked.",
	"Booked our next meeting before we left the room.",
	"Sent me the two papers we talked about the same day.",
	"Gave me feedback on my presentation right after rounds.",
	"Told me it was fine not to know everything yet.",
	"Helped me draft an email to my program director.",
	"Checked in after my first death certificate.",
	"Turned my vague goal of 'getting faster' into three concrete steps.",
	"Made me feel my questions were welcome.",
}

var demoNextTime = []string{
	"A bit more time; we were interrupted twice.",
	"Tell me the best way to reach you between meetings.",
	"More specific feedback on my notes.",
	"Agree on a date for the next meeting before we finish.",
	"Let me choose the topic first.",
	"Fewer war stories, more concrete next steps.",
	"Meet somewhere quieter than the team room.",
	"Check in on how I am doing, not only on my cases.",
	"Write down the action points so I can look back at them.",
	"Go through one of my presentations together.",
	"Start on time; I had to leave before we finished.",
	"Ask me what I think before telling me what to do.",
	"Share a resource for learning ECG interpretation.",
	"Reply to messages within a day or two, even briefly.",
	"Tell me when you are on nights so I know not to wait.",
	"Spend less time on your own projects during our meeting.",
	"Give me one thing to work on, not ten.",
	"Keep the pager on silent for the first ten minutes.",
	"Bring the rota so we can plan the next meeting.",
	"Say so when you do not know; I would rather hear it.",
	"Ask about my life outside the hospital once in a while.",
	"Look at my procedure log with me.",
}

// demoDeck deals each resident's comments without repeats: a shuffled
// order of a pool per resident, used up one by one.
type demoDeck struct {
	pool  []string
	order map[int][]int
}

func newDemoDeck(pool []string) *demoDeck { return &demoDeck{pool: pool, order: map[int][]int{}} }

// next is resident r's next comment, or "" when their deck is used up.
func (d *demoDeck) next(rng *rand.Rand, r int) string {
	o, ok := d.order[r]
	if !ok {
		o = rng.Perm(len(d.pool))
	}
	if len(o) == 0 {
		return ""
	}
	d.order[r] = o[1:]
	return d.pool[o[0]]
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "demo [--residents N] [--responses N]\n\nFills an empty database with a demo program, its director, residents and a\nrealistic spread of responses over the last twelve months, from four mentees\nper resident, released window by window as the service would have.")
	residents := fs.Int("residents", len(demoProfiles), "number of demo residents")
	responses := fs.Int("responses", 240, "number of responses in all")
	seed := fs.Uint64("seed", 1, "random seed, for a repeatable data set")
	if err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if *residents < 1 || *responses < 0 {
		return usageError{"demo: --residents must be at least 1 and --responses at least 0"}
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ProgramByName(ctx, demoProgram); err == nil {
		fmt.Fprintln(e.stdout, "Demo data is already loaded.")
		printDemoHelp(e)
		return nil
	}
	if ps, err := db.Programs(ctx); err != nil {
		return err
	} else if len(ps) > 0 {
		return fmt.Errorf("demo: the database already holds %d program(s); demo fills only an empty database (use another MENTORPULSE_DATABASE_URL)", len(ps))
	}
	rng := rand.New(rand.NewPCG(*seed, 42))
	started := time.Now()
	if err := loadDemo(ctx, db, rng, *residents, *responses, terminal(e.stderr)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Loaded a demo program with %d residents and %d responses in %s.\n", *residents, *responses, time.Since(started).Round(100*time.Millisecond))
	printDemoHelp(e)
	return nil
}

// demoMenteeDomain is the demo program's mentee email domain.
const demoMenteeDomain = "student.example"

func printDemoHelp(e *env) {
	fmt.Fprintf(e.stdout, `
Start the service with:   go run ./cmd/mentorpulse
Then open:                %s
Sign in as (password %s):
  admin@demo.mentorpulse.test      administrator
  director@demo.mentorpulse.test   program director
  resident1@demo.mentorpulse.test  resident (resident2: a goal that worked; resident4: a blind spot)
Make a survey link:       go run ./cmd/mentorpulse invite --resident resident1@demo.mentorpulse.test --mentee sam@%s
`, e.cfg.BaseURL, demoPassword, demoMenteeDomain)
}

// demoLiveLimit is the largest demo loaded through the live submission path;
// larger ones go through the bulk loader.
const demoLiveLimit = 5000

func loadDemo(ctx context.Context, db *models.DB, rng *rand.Rand, residents, responses int, progress io.Writer) error {
	hash, err := models.HashPassword(demoPassword)
	if err != nil {
		return err
	}
	realNow := db.Now
	defer func() { db.Now = realNow }()
	return db.WithTx(ctx, func(ctx context.Context) error {
		p := &models.Program{Name: demoProgram, MinResponses: models.DefaultMinResponses}
		if err := db.CreateProgram(ctx, p); err != nil {
			return err
		}
		// Students' addresses at the demo school are mentees on first use,
		// so the invite command below works for any of them.
		if err := db.SetMenteeDomains(ctx, p.ID, []string{demoMenteeDomain}); err != nil {
			return err
		}
		for _, u := range []*models.User{
			{Email: "admin@demo.mentorpulse.test", Name: "Avery Admin", Role: models.RoleAdmin, PasswordHash: hash},
			{Email: "director@demo.mentorpulse.test", Name: "Dr. Dana Director", Role: models.RoleDirector, ProgramID: &p.ID, PasswordHash: hash},
		} {
			if err := db.CreateUser(ctx, u); err != nil {
				return err
			}
		}
		var ids []int64
		var profiles []demoProfile
		for i := range residents {
			prof := demoProfiles[i%len(demoProfiles)]
			if i >= len(demoProfiles) {
				prof.name = fmt.Sprintf("%s %d", prof.name, i/len(demoProfiles)+1)
			}
			pgy := prof.pgy
			u := &models.User{Email: fmt.Sprintf("resident%d@demo.mentorpulse.test", i+1), Name: prof.name,
				Role: models.RoleResident, ProgramID: &p.ID, PGYYear: &pgy, PasswordHash: hash}
			if err := db.CreateUser(ctx, u); err != nil {
				return err
			}
			ids = append(ids, u.ID)
			profiles = append(profiles, prof)
		}
		end := realNow().UTC()
		start := end.AddDate(-1, 0, 0)
		if responses > demoLiveLimit {
			err = bulkDemo(ctx, db, rng, ids, profiles, responses, start, end, progress)
		} else {
			err = liveDemo(ctx, db, rng, ids, profiles, responses, start, end)
		}
		if err != nil {
			return err
		}
		if err := demoGrowth(ctx, db, ids, start, end); err != nil {
			return err
		}
		// Some links still open, one declined, one expired, for the status views.
		db.Now = realNow
		for i, id := range ids {
			inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: id})
			if err != nil {
				return err
			}
			if i%4 == 1 {
				if err := db.DeclineLink(ctx, inv.Token); err != nil {
					return err
				}
			}
		}
		old := end.AddDate(0, 0, -30)
		db.Now = func() time.Time { return old }
		_, err = db.CreateInvitation(ctx, models.NewInvitation{ResidentID: ids[0]})
		return err
	})
}

// demoMentees is how many mentees each demo resident has; each response
// comes from one of them, so released groups rest on several people.
const demoMentees = 4

// demoMentee picks the mentee who answers about resident r: a roster id of
// the resident's own pool.
func demoMentee(rng *rand.Rand, r int) *int64 {
	id := int64(1000 + r*demoMentees + rng.IntN(demoMentees))
	return &id
}

// liveDemo submits each response through the live path, as a mentee would,
// and runs the release job at the close of every window on the way, as a
// running service would have.
func liveDemo(ctx context.Context, db *models.DB, rng *rand.Rand, ids []int64, profiles []demoProfile, responses int, start, end time.Time) error {
	inst := surveys.Default()
	p, err := demoProgramOf(ctx, db, ids[0])
	if err != nil {
		return err
	}
	nextClose := p.WindowOf(start).End()
	gen := newDemoGen(profiles)
	for n := range responses {
		r := gen.resident(rng)
		// Later responses drift up a little, so trends show movement.
		frac := float64(n) / math.Max(1, float64(responses))
		at := start.Add(time.Duration(frac * float64(end.Sub(start))))
		for !at.Before(nextClose) {
			if err := releaseAt(ctx, db, nextClose); err != nil {
				return err
			}
			nextClose = p.WindowOf(nextClose).End()
		}
		db.Now = func() time.Time { return at }
		date := at.Format(time.DateOnly)
		inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: ids[r], MeetingDate: &date, MenteeID: demoMentee(rng, r)})
		if err != nil {
			return err
		}
		sub := gen.submission(rng, inst, r, frac)
		if err := db.SubmitResponse(ctx, inv.Token, inst, sub); err != nil {
			return fmt.Errorf("demo response: %w", err)
		}
	}
	for !end.Before(nextClose) {
		if err := releaseAt(ctx, db, nextClose); err != nil {
			return err
		}
		nextClose = p.WindowOf(nextClose).End()
	}
	// Answers of the window still open wait in holding, as they would.
	return nil
}

// releaseAt runs the release job as of time at.
func releaseAt(ctx context.Context, db *models.DB, at time.Time) error {
	db.Now = func() time.Time { return at }
	if _, err := db.ReleaseClosedWindows(ctx); err != nil {
		return fmt.Errorf("demo release: %w", err)
	}
	return nil
}

func demoProgramOf(ctx context.Context, db *models.DB, residentID int64) (*models.Program, error) {
	u, err := db.ReportResident(ctx, residentID)
	if err != nil {
		return nil, err
	}
	return db.ProgramByID(ctx, *u.ProgramID)
}

// bulkDemo spreads responses evenly over [start, end) through the bulk
// loader, drawing a progress bar on progress when it is not nil.
func bulkDemo(ctx context.Context, db *models.DB, rng *rand.Rand, ids []int64, profiles []demoProfile, responses int, start, end time.Time, progress io.Writer) error {
	var bar *progressbar.ProgressBar
	if progress != nil {
		bar = progressbar.NewOptions(responses, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("Loading responses"),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(progress) }))
	}
	inst := surveys.Default()
	l := db.NewBulkLoader()
	gen := newDemoGen(profiles)
	for n := range responses {
		r := gen.resident(rng)
		frac := float64(n) / float64(responses)
		at := start.Add(time.Duration(frac * float64(end.Sub(start))))
		date := at.Format(time.DateOnly)
		err := l.Add(ctx, models.BulkResponse{ResidentID: ids[r], MenteeID: demoMentee(rng, r), At: at, MeetingDate: &date, Instrument: inst,
			Submission: gen.submission(rng, inst, r, frac)})
		if err != nil {
			return fmt.Errorf("demo response: %w", err)
		}
		if bar != nil && n%1000 == 999 {
			bar.Add(1000)
		}
	}
	if bar != nil {
		bar.Set(responses)
	}
	return l.Close(ctx)
}

// terminal returns w when it is a terminal, for progress bars; nil otherwise.
func terminal(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return nil
}

// demoGen draws the demo's responses: whom they are about (by the
// profiles' weights) and their answers and comments.
type demoGen struct {
	profiles   []demoProfile
	cumulative []float64
	keep, next *demoDeck
}

func newDemoGen(profiles []demoProfile) *demoGen {
	g := &demoGen{profiles: profiles, keep: newDemoDeck(demoKeepDoing), next: newDemoDeck(demoNextTime)}
	var sum float64
	for _, p := range profiles {
		sum += max(p.weight, 1)
		g.cumulative = append(g.cumulative, sum)
	}
	return g
}

// resident picks the index of the resident a response is about.
func (g *demoGen) resident(rng *rand.Rand) int {
	x := rng.Float64() * g.cumulative[len(g.cumulative)-1]
	for i, c := range g.cumulative {
		if x < c {
			return i
		}
	}
	return len(g.cumulative) - 1
}

// submission answers the instrument about resident r at share frac of the
// demo's span: their profile, a slight upward drift for everyone, their
// lift once it applies.
func (g *demoGen) submission(rng *rand.Rand, inst *surveys.Instrument, r int, frac float64) surveys.Submission {
	prof := g.profiles[r]
	sub := surveys.Submission{Answers: map[string]*int{}, Comments: map[string]string{}}
	mean := func(a surveys.Attribute) float64 {
		m := prof.means[a]
		if frac >= demoLiftFrom {
			m += prof.lift[a]
		}
		return min(m, 4.9)
	}
	var sum float64
	for _, a := range []surveys.Attribute{surveys.Availability, surveys.Competence, surveys.AltruisticSupport} {
		sum += mean(a)
	}
	for _, it := range inst.Items {
		m := mean(it.Attribute)
		if it.Attribute == surveys.Overall {
			m = sum / 3
		}
		if (it.Key == "A2" || it.Key == "S2") && rng.Float64() < 0.12 {
			sub.Answers[it.Key] = nil
			continue
		}
		v := int(math.Round(m + 0.3*frac - 0.15 + rng.NormFloat64()*0.8))
		v = min(5, max(1, v))
		sub.Answers[it.Key] = &v
	}
	if rng.Float64() < 0.5 {
		if c := g.keep.next(rng, r); c != "" {
			sub.Comments[surveys.CommentKeepDoing] = c
		}
	}
	if rng.Float64() < 0.4 {
		if c := g.next.next(rng, r); c != "" {
			sub.Comments[surveys.CommentNextTime] = c
		}
	}
	return sub
}
