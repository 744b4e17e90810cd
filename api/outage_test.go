package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// pgProxy forwards TCP connections to PostgreSQL so that a test can make the
// database go away for its own connections only: the real server keeps
// running for everyone else.
type pgProxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns []net.Conn
	// muteOn, when set, is a byte string the client will send (a
	// statement's parameter): the chunk holding it reaches the server, but
	// nothing comes back, and muted is closed.
	muteOn []byte
	muted  chan struct{}
}

func newPGProxy(t testing.TB, target string) *pgProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{t: t, ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.serve()
	return p
}

func (p *pgProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			client.Close()
			continue
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, client, server)
		p.mu.Unlock()
		mute := make(chan struct{})
		go p.pipe(server, client, mute)
		go p.copyBack(client, server, mute)
	}
}

// pipe copies client to server, watching for muteOn.
func (p *pgProxy) pipe(server, client net.Conn, mute chan struct{}) {
	buf := make([]byte, 32<<10)
	for {
		n, err := client.Read(buf)
		if n > 0 {
			p.mu.Lock()
			hit := p.muteOn != nil && bytes.Contains(buf[:n], p.muteOn)
			if hit {
				p.muteOn = nil
			}
			p.mu.Unlock()
			if _, werr := server.Write(buf[:n]); werr != nil {
				return
			}
			if hit {
				close(mute)
				close(p.muted)
			}
		}
		if err != nil {
			server.Close()
			return
		}
	}
}

// copyBack copies server to client until the connection is muted.
func (p *pgProxy) copyBack(client, server net.Conn, mute chan struct{}) {
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		select {
		case <-mute:
			io.Copy(io.Discard, server)
			return
		default:
		}
		if n > 0 {
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			client.Close()
			return
		}
	}
}

// cut breaks every open connection and refuses new ones until restore.
func (p *pgProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *pgProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// muteAfter arranges for the next client chunk holding marker to reach the
// server with no answer coming back; the returned channel closes then.
func (p *pgProxy) muteAfter(marker string) <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.muteOn, p.muted = []byte(marker), make(chan struct{})
	return p.muted
}

// outage is a fixture whose database the test can take away and bring back:
// on PostgreSQL by cutting a proxy in front of it, on SQLite by holding the
// write lock past a short busy timeout.
type outage struct {
	*fixture
	direct *models.DB // the same database, not through the proxy
	proxy  *pgProxy
	lock   *sql.Tx
	dbPath string
}

func newOutage(t *testing.T) *outage {
	t.Helper()
	ctx := context.Background()
	o := &outage{}
	u := dbtest.URL(t)
	served := u
	if path, ok := strings.CutPrefix(u, "sqlite:"); ok {
		o.dbPath = path
		served = "sqlite:" + path + "?_pragma=busy_timeout(200)"
	} else {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		o.proxy = newPGProxy(t, pu.Host)
		pu.Host = o.proxy.ln.Addr().String()
		served = pu.String()
	}
	direct, err := models.Open(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	if _, err := direct.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	o.direct = direct
	db, err := models.Open(served)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	o.fixture = newFixtureOn(t, db)
	return o
}

func (o *outage) postgres() bool { return o.proxy != nil }

// takeDatabaseAway makes every write fail as the engine fails when it cannot
// be reached: PostgreSQL connections break and new ones are refused; SQLite
// stays locked by another writer past the busy timeout.
func (o *outage) takeDatabaseAway() {
	o.t.Helper()
	if o.postgres() {
		o.proxy.cut()
		return
	}
	sqlDB, err := o.direct.SQL()
	if err != nil {
		o.t.Fatal(err)
	}
	if o.lock, err = sqlDB.Begin(); err != nil {
		o.t.Fatal(err)
	}
	// An immediate transaction holds the write lock from its first write.
	if _, err := o.lock.Exec(`UPDATE programs SET name = name`); err != nil {
		o.t.Fatal(err)
	}
}

func (o *outage) bringDatabaseBack() {
	o.t.Helper()
	if o.postgres() {
		o.proxy.restore()
		return
	}
	if err := o.lock.Rollback(); err != nil {
		o.t.Fatal(err)
	}
}

// wantUnavailable checks a 503 a client can act on: Retry-After, and no
// "internal error".
func wantUnavailable(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s: status %d, want 503\n%s", what, rec.Code, rec.Body)
	}
	if ra := rec.Header().Get("Retry-After"); ra == "" {
		t.Errorf("%s: 503 without Retry-After", what)
	}
	if strings.Contains(rec.Body.String(), "internal error") || strings.Contains(rec.Body.String(), "Internal Server Error") {
		t.Errorf("%s: a 503 calls itself an internal error:\n%s", what, rec.Body)
	}
}

// wantFormKept checks that the survey page shows the mentee's answers as
// they sent them.
func wantFormKept(t *testing.T, rec *httptest.ResponseRecorder, form url.Values) {
	t.Helper()
	body := rec.Body.String()
	for key, vs := range form {
		v := vs[0]
		if key == "keep_doing" || key == "next_time" {
			if !strings.Contains(body, `name="`+key+`"`) || (v != "" && !strings.Contains(body, ">"+v+"</textarea>")) {
				t.Errorf("comment %s lost: want %q in the form", key, v)
			}
			continue
		}
		if want := `name="` + key + `" value="` + v + `" checked>`; !strings.Contains(body, want) {
			t.Errorf("answer %s=%s lost: page lacks %s", key, v, want)
		}
	}
}

// When the database is out of reach, every request is a 503 with
// Retry-After, never "internal error", and the mentee's form comes back with
// their answers in it, to send again once it is back.
func TestDatabaseOutageAnswers503AndTheFormKeepsTheAnswers(t *testing.T) {
	o := newOutage(t)
	apiTok := o.newLink(linkPending)
	formTok := o.newLink(linkPending)
	o.takeDatabaseAway()

	rec := o.postJSON("/api/v1/surveys/"+apiTok, validBody)
	wantUnavailable(t, "JSON submission", rec)
	if p := readProblem(t, rec); p.Detail == "" {
		t.Errorf("503 problem without a detail: %+v", p)
	}

	form := validForm()
	rec = o.postForm("/s/"+formTok, form)
	wantUnavailable(t, "form submission", rec)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("form submission: content type %q, want the survey page", ct)
	}
	wantFormKept(t, rec, form)
	if body := rec.Body.String(); !strings.Contains(body, "We could not confirm your answers") || !strings.Contains(body, `action="/s/`+formTok+`"`) {
		t.Errorf("the kept form lacks the notice or posts elsewhere:\n%s", body)
	}

	if o.postgres() {
		// Reads fail too on PostgreSQL (SQLite's readers never wait).
		wantUnavailable(t, "survey page", o.get("/s/"+formTok))
		rec := o.get("/api/v1/surveys/" + apiTok)
		wantUnavailable(t, "survey JSON", rec)
		readProblem(t, rec)
	}

	o.bringDatabaseBack()
	// The mentee sends again, as the page asks, until it goes through: a
	// pooled connection that broke in the outage fails once more when it is
	// next used within a second, and is dropped then.
	resend := func(send func() *httptest.ResponseRecorder) *httptest.ResponseRecorder {
		for range 40 {
			rec := send()
			if rec.Code != http.StatusServiceUnavailable {
				return rec
			}
			wantUnavailable(t, "a retry", rec)
		}
		t.Fatalf("still 503 after 40 tries once the database was back")
		return nil
	}
	if rec := resend(func() *httptest.ResponseRecorder { return o.postForm("/s/"+formTok, form) }); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Thank you") {
		t.Errorf("the same form sent again once the database is back: %d\n%s", rec.Code, rec.Body)
	}
	if rec := resend(func() *httptest.ResponseRecorder { return o.postJSON("/api/v1/surveys/"+apiTok, validBody) }); rec.Code != http.StatusCreated {
		t.Errorf("the same JSON sent again: %d %s", rec.Code, rec.Body)
	}
	if n := o.storedResponses(); n != 2 {
		t.Errorf("%d responses stored, want 2", n)
	}
	logs := o.logs.String()
	for _, secret := range []string{apiTok, formTok, apiTok[:12], formTok[:12], "Made time."} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs hold %q:\n%s", secret, logs)
		}
	}
}

// A submission stored by PostgreSQL whose answer never came back (the
// connection broke after the statement went out) must not leave the mentee
// believing it failed: their retry finds the link used and the page says
// their answers were received, and one response is stored.
func TestSubmissionStoredButUnconfirmedReadsAsReceivedOnRetry(t *testing.T) {
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skip("a connection that breaks after the statement went out needs PostgreSQL (set " + dbtest.EnvURL + ")")
	}
	o := newOutage(t)
	tok := o.newLink(linkPending)
	muted := o.proxy.muteAfter(surveys.HashToken(tok))
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- o.postForm("/s/"+tok, validForm()) }()
	<-muted
	// Wait until the statement has committed (the answers wait in the
	// holding table until the mixer runs), then break the connection.
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for {
		n, err := o.direct.CountAnswers(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the submission never committed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	o.proxy.cut()
	rec := <-done
	wantUnavailable(t, "submission with its answer lost", rec)
	wantFormKept(t, rec, validForm())

	o.proxy.restore()
	// The mentee sends again until an answer comes (see the test above).
	for range 40 {
		if rec = o.postForm("/s/"+tok, validForm()); rec.Code != http.StatusServiceUnavailable {
			break
		}
		wantFormKept(t, rec, validForm())
	}
	if rec.Code != http.StatusGone {
		t.Fatalf("retry: status %d, want 410\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "<h1>Your answers were received</h1>") {
		t.Errorf("the retry does not read as success:\n%s", body)
	}
	for _, alarm := range []string{"error", "Error", "try again", "already been answered"} {
		if strings.Contains(body, alarm) {
			t.Errorf("the retry's page says %q:\n%s", alarm, body)
		}
	}
	if n := o.storedResponses(); n != 1 {
		t.Errorf("%d responses stored, want exactly 1", n)
	}
}

// A mentee opening a link they already answered sees that their answers
// were received, on both engines, and not an error.
func TestAnsweredLinkPageSaysTheAnswersWereReceived(t *testing.T) {
	f := newFixture(t)
	tok := f.newLink(linkAnswered)
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"page": f.get("/s/" + tok),
		"form": f.postForm("/s/"+tok, validForm()),
	} {
		if rec.Code != http.StatusGone {
			t.Fatalf("%s: status %d, want 410", name, rec.Code)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "<h1>Your answers were received</h1>") || !strings.Contains(body, "are stored") {
			t.Errorf("%s: the page does not say the answers were received:\n%s", name, body)
		}
		if strings.Contains(body, "already been answered") || strings.Contains(body, "Already answered") {
			t.Errorf("%s: the page reads as a refusal:\n%s", name, body)
		}
	}
}
