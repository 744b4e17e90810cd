package models_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/crypto/bcrypt"
)

func TestMain(m *testing.M) {
	// Hashing at the production cost would make these tests slow, not better.
	models.PasswordCost = bcrypt.MinCost
	os.Exit(m.Run())
}

// clock is a settable time source for db.Now.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock(db *models.DB) *clock {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = c.now
	return c
}

func mustProgram(t *testing.T, db *models.DB, name string) *models.Program {
	t.Helper()
	p := &models.Program{Name: name}
	if err := db.CreateProgram(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustUser(t *testing.T, db *models.DB, u *models.User) *models.User {
	t.Helper()
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func pgy(n int) *int { return &n }

func TestCheckPasswordRefusesShortCommonAndRepetitive(t *testing.T) {
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"short-pass1", false},
		{"Password2026!", false},
		{"qwerty123456", false},
		{"123456789012", false},
		{"!!Welcome2026", false},
		{"Residency2025!", false},
		{"correct horse battery staple", false},
		{"aaaaaaaaaaaaaaaa", false},
		{"abababababab", false},
		{"demo-password-2026", true},
		{"violet kettle marathon", true},
		{"Tr0ub4dor&3xyz", true},
		{strings.Repeat("é", 12) + "abcd", true},
		{strings.Repeat("x", 60) + "abcdefghijklmn", false}, // 74 bytes: over bcrypt's limit
	} {
		err := models.CheckPassword(tc.password)
		if (err == nil) != tc.ok {
			t.Errorf("CheckPassword(%q) = %v, want ok=%t", tc.password, err, tc.ok)
		}
		if err != nil && surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("CheckPassword(%q) code = %s, want invalid", tc.password, surveys.ErrorCode(err))
		}
	}
	u := &models.User{Email: "dana.director@example.org"}
	if err := models.CheckPasswordFor(u, "dana.director-mentoring!"); err == nil {
		t.Error("a password containing the email's local part was accepted")
	}
}

func TestAuthenticateGivesOneAnswerForEveryFailure(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := mustProgram(t, db, "Internal Medicine")
	hash, err := models.HashPassword("violet kettle marathon")
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, db, &models.User{Email: "Ana@Example.org", Name: "Ana", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(2), PasswordHash: hash})
	gone := mustUser(t, db, &models.User{Email: "gone@example.org", Name: "Gone", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(1), PasswordHash: hash})
	mustUser(t, db, &models.User{Email: "new@example.org", Name: "New", Role: models.RoleResident, ProgramID: &p.ID, PGYYear: pgy(1)})
	if _, err := db.UpdateUser(ctx, gone.ID, models.UserUpdate{Active: new(false)}); err != nil {
		t.Fatal(err)
	}

	if u, err := db.Authenticate(ctx, " ANA@example.ORG ", "violet kettle marathon"); err != nil || u.Email != "ana@example.org" {
		t.Fatalf("right credentials (email in other case): %v, %v", u, err)
	}
	for name, creds := range map[string][2]string{
		"unknown-email":  {"nobody@example.org", "violet kettle marathon"},
		"wrong-password": {"ana@example.org", "violet kettle marathon!"},
		"deactivated":    {"gone@example.org", "violet kettle marathon"},
		"no-password":    {"new@example.org", ""},
	} {
		_, err := db.Authenticate(ctx, creds[0], creds[1])
		if err != models.ErrBadCredentials {
			t.Errorf("%s: err = %v, want the one bad-credentials error", name, err)
		}
	}
}

func TestSessionEndsAfterIdleTimeoutAndMaxAge(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	clk := newClock(db)
	u := mustUser(t, db, &models.User{Email: "admin@example.org", Name: "Admin", Role: models.RoleAdmin})
	lim := models.SessionLimits{Idle: 8 * time.Hour, MaxAge: 7 * 24 * time.Hour}

	idle, _, err := db.CreateSession(ctx, u.ID, lim)
	if err != nil {
		t.Fatal(err)
	}
	clk.advance(8*time.Hour - time.Minute)
	if _, _, err := db.SessionByToken(ctx, idle, lim); err != nil {
		t.Fatalf("session used 7h59m after sign-in: %v", err)
	}
	clk.advance(8*time.Hour - time.Minute)
	if _, _, err := db.SessionByToken(ctx, idle, lim); err != nil {
		t.Fatalf("session used 7h59m after its last use: %v", err)
	}
	clk.advance(8 * time.Hour)
	if _, _, err := db.SessionByToken(ctx, idle, lim); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Fatalf("session idle for 8h: err = %v, want unauthorized", err)
	}

	busy, _, err := db.CreateSession(ctx, u.ID, lim)
	if err != nil {
		t.Fatal(err)
	}
	for elapsed := time.Duration(0); elapsed < 7*24*time.Hour-2*time.Hour; elapsed += 2 * time.Hour {
		clk.advance(2 * time.Hour)
		if _, _, err := db.SessionByToken(ctx, busy, lim); err != nil {
			t.Fatalf("busy session at %s: %v", elapsed+2*time.Hour, err)
		}
	}
	clk.advance(2 * time.Hour)
	if _, _, err := db.SessionByToken(ctx, busy, lim); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Fatalf("session in use for 7 days: err = %v, want unauthorized", err)
	}
	n, err := db.DeleteExpiredSessions(ctx, lim)
	if err != nil || n != 0 {
		t.Fatalf("expired sessions left behind: %d, %v (refused sessions are deleted when seen)", n, err)
	}
}

// A pending sign-in whose browser never came back is swept once its 15
// minutes are over; a live one, or one of another user, stays.
func TestExpiredPendingSignInsAreSwept(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	clk := newClock(db)
	a := mustUser(t, db, &models.User{Email: "a@example.org", Name: "A", Role: models.RoleAdmin})
	b := mustUser(t, db, &models.User{Email: "b@example.org", Name: "B", Role: models.RoleAdmin})
	abandoned, _, err := db.CreatePendingSignIn(ctx, a.ID, models.StageCode, "password")
	if err != nil {
		t.Fatal(err)
	}
	clk.advance(models.PendingSignInTTL - time.Minute)
	live, _, err := db.CreatePendingSignIn(ctx, b.ID, models.StageEnrol, "password")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.DeleteExpiredPendingSignIns(ctx); err != nil || n != 0 {
		t.Fatalf("swept %d before any expired (%v)", n, err)
	}
	clk.advance(time.Minute)
	if n, err := db.DeleteExpiredPendingSignIns(ctx); err != nil || n != 1 {
		t.Fatalf("swept %d, want the abandoned one (%v)", n, err)
	}
	if _, _, err := db.PendingSignInByToken(ctx, abandoned); surveys.ErrorCode(err) != surveys.EUNAUTHORIZED {
		t.Errorf("the swept sign-in: err = %v, want unauthorized", err)
	}
	if _, u, err := db.PendingSignInByToken(ctx, live); err != nil || u.ID != b.ID {
		t.Errorf("the live sign-in after the sweep: %v, %v", u, err)
	}
}

func TestDuplicateEmailIsAConflictIgnoringCase(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := mustProgram(t, db, "Surgery")
	if _, err := db.CreateMember(ctx, p.ID, models.NewMember{Email: "Sam@Example.org", Name: "Sam", Role: models.RoleResident, PGYYear: pgy(1)}); err != nil {
		t.Fatal(err)
	}
	_, err := db.CreateMember(ctx, p.ID, models.NewMember{Email: "sam@EXAMPLE.org", Name: "Sam Again", Role: models.RoleDirector})
	if surveys.ErrorCode(err) != surveys.ECONFLICT {
		t.Fatalf("duplicate email: err = %v, want conflict", err)
	}
}

func TestImportMembersAppliesValidRowsAndReportsTheRest(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	a := mustProgram(t, db, "Program A")
	b := mustProgram(t, db, "Program B")
	mustUser(t, db, &models.User{Email: "other@example.org", Name: "Other", Role: models.RoleResident, ProgramID: &b.ID, PGYYear: pgy(1)})
	if _, err := db.CreateMember(ctx, a.ID, models.NewMember{Email: "kim@example.org", Name: "Kim", Role: models.RoleResident, PGYYear: pgy(1)}); err != nil {
		t.Fatal(err)
	}
	csv := strings.Join([]string{
		"email,name,role,pgy_year",
		"ana@example.org,Ana Alves,resident,2",
		"not-an-email,Bad Email,resident,1",
		"kim@example.org,Kim Lee,resident,2", // existing member: updated
		"other@example.org,Other,resident,1", // another program's account
		"dan@example.org,Dan,director,",
		"eve@example.org,Eve,resident,9",
		"ANA@example.org,Ana Twice,resident,2",
		`br"oken@example.org,Broken,resident,1`,
		"fail@example.org,Rolled Back,resident,3",
		"zed@example.org,Zed,,4",
	}, "\n")
	hook := func(ctx context.Context, u *models.User, created bool) error {
		if u.Email == "fail@example.org" {
			return surveys.Errorf(surveys.ECONFLICT, "the hook refused this row")
		}
		return db.Audit(ctx, models.AuditEntry{Action: models.ActionMemberCreate, Target: u.Email, ProgramID: &a.ID})
	}
	res, err := db.ImportMembers(ctx, a.ID, strings.NewReader(csv), hook)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 3 || res.Updated != 1 {
		t.Errorf("created %d, updated %d; want 3 and 1", res.Created, res.Updated)
	}
	var lines []int
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
	}
	if diff := cmp.Diff([]int{3, 5, 7, 8, 9, 10}, lines); diff != "" {
		t.Errorf("error lines (-want +got):\n%s\n%+v", diff, res.Errors)
	}
	if _, err := db.UserByEmail(ctx, "fail@example.org"); surveys.ErrorCode(err) != surveys.ENOTFOUND {
		t.Errorf("a row whose transaction failed was half-written: %v", err)
	}
	kim, _ := db.UserByEmail(ctx, "kim@example.org")
	if kim.Name != "Kim Lee" || *kim.PGYYear != 2 {
		t.Errorf("kim not updated: %+v", kim)
	}
	zed, _ := db.UserByEmail(ctx, "zed@example.org")
	if zed == nil || zed.Role != models.RoleResident {
		t.Errorf("an empty role should mean resident: %+v", zed)
	}
	members, _ := db.Members(ctx, a.ID)
	if len(members) != 4 {
		t.Errorf("program A has %d members, want 4 (ana, kim, dan, zed)", len(members))
	}

	// Without a header the columns are email,name,role,pgy_year.
	res, err = db.ImportMembers(ctx, a.ID, strings.NewReader("lee@example.org,Lee,resident,3\n"), nil)
	if err != nil || res.Created != 1 || len(res.Errors) != 0 {
		t.Fatalf("headerless import: %+v, %v", res, err)
	}
	_, err = db.ImportMembers(ctx, a.ID, strings.NewReader("email,name,favourite_colour\n"), nil)
	if surveys.ErrorCode(err) != surveys.EINVALID {
		t.Fatalf("unknown header column: err = %v, want invalid", err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	if err := db.Audit(ctx, models.AuditEntry{Action: "test.action", Target: "x"}); err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.SQL()
	if _, err := sqlDB.Exec("UPDATE audit_log SET action = 'changed'"); err == nil {
		t.Error("an audit entry could be changed")
	}
	if _, err := sqlDB.Exec("DELETE FROM audit_log"); err == nil {
		t.Error("an audit entry could be deleted")
	}
	rows, err := db.AuditLog(ctx, models.AuditFilter{})
	if err != nil || len(rows) != 1 || rows[0].Action != "test.action" {
		t.Fatalf("audit log: %+v, %v", rows, err)
	}
}

func TestEnsureAdminOnFirstStart(t *testing.T) {
	ctx := context.Background()
	t.Run("with-password", func(t *testing.T) {
		db := dbtest.New(t)
		b, err := db.EnsureAdmin(ctx, "root@example.org", "violet kettle marathon")
		if err != nil || b.Email != "root@example.org" || b.SetupToken != "" {
			t.Fatalf("EnsureAdmin: %+v, %v", b, err)
		}
		if _, err := db.Authenticate(ctx, "root@example.org", "violet kettle marathon"); err != nil {
			t.Fatalf("the new admin cannot sign in: %v", err)
		}
		b, err = db.EnsureAdmin(ctx, "someone@example.org", "")
		if err != nil || b.Email != "" {
			t.Fatalf("second start with an admin: %+v, %v; want nothing done", b, err)
		}
	})
	t.Run("without-password", func(t *testing.T) {
		db := dbtest.New(t)
		first, err := db.EnsureAdmin(ctx, "", "")
		if err != nil || first.Email != models.DefaultAdminEmail || first.SetupToken == "" {
			t.Fatalf("EnsureAdmin: %+v, %v", first, err)
		}
		second, err := db.EnsureAdmin(ctx, "", "")
		if err != nil || second.SetupToken == "" {
			t.Fatalf("a restart before the link was used should issue a new link: %+v, %v", second, err)
		}
		if _, _, err := db.OpenPasswordLink(ctx, first.SetupToken); surveys.ErrorCode(err) != surveys.EGONE {
			t.Errorf("the first link still works after a new one was issued: %v", err)
		}
		if _, err := db.UsePasswordLink(ctx, second.SetupToken, "violet kettle marathon"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UsePasswordLink(ctx, second.SetupToken, "another fine phrase"); surveys.ErrorCode(err) != surveys.EGONE {
			t.Errorf("a set-password link worked twice: %v", err)
		}
		if b, err := db.EnsureAdmin(ctx, "", ""); err != nil || b.SetupToken != "" {
			t.Errorf("after the password was set no new link is needed: %+v, %v", b, err)
		}
	})
	t.Run("weak-password", func(t *testing.T) {
		db := dbtest.New(t)
		_, err := db.EnsureAdmin(ctx, "root@example.org", "password1234")
		if err == nil || strings.Contains(err.Error(), "password1234") {
			t.Fatalf("weak admin password: err = %v; want a refusal that does not repeat the password", err)
		}
	})
}

func TestPasswordLinkExpiresAfterSevenDays(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	clk := newClock(db)
	p := mustProgram(t, db, "Pediatrics")
	u, err := db.CreateMember(ctx, p.ID, models.NewMember{Email: "pat@example.org", Name: "Pat", Role: models.RoleResident, PGYYear: pgy(1)})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreatePasswordLink(ctx, u.ID, models.PurposeSetup)
	if err != nil {
		t.Fatal(err)
	}
	clk.advance(7*24*time.Hour - time.Minute)
	if _, _, err := db.OpenPasswordLink(ctx, token); err != nil {
		t.Fatalf("link at 6d23h59m: %v", err)
	}
	clk.advance(time.Minute)
	if _, err := db.UsePasswordLink(ctx, token, "violet kettle marathon"); surveys.ErrorCode(err) != surveys.EGONE {
		t.Fatalf("link after 7 days: err = %v, want gone", err)
	}
}
