package delivery_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/delivery/deliverytest"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"github.com/riverqueue/river"
)

func TestImportingTheSameFileTwiceSendsOneEmailPerRow(t *testing.T) {
	h := newHarness(t)
	h.domains("student.example") // every mentee here joins the roster on first use
	other := &models.Program{Name: "Surgery"}
	if err := h.db.CreateProgram(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	outsider := &models.User{Email: "zoe@hospital.example", Name: "Dr. Zoe", Role: models.RoleResident, ProgramID: &other.ID}
	if err := h.db.CreateUser(context.Background(), outsider); err != nil {
		t.Fatal(err)
	}
	h.addResident("ben@hospital.example", "Dr. Ben Hartley")
	day := h.today()
	csv := strings.Join([]string{
		"resident_email,mentee_email,meeting_date",
		"amara@hospital.example,one@student.example," + day,
		"AMARA@hospital.example, two@student.example ," + day + ",Two Mentee",
		"ben@hospital.example,three@student.example," + day,
		"ben@hospital.example,THREE@student.example," + day, // the row above again
		"amara@hospital.example,four@student.example,25/11/2026",
		"nobody@hospital.example,five@student.example," + day,
		"zoe@hospital.example,six@student.example," + day,
		"amara@hospital.example,,",
		"amara@hospital.example,not-an-email," + day,
		"amara@hospital.example,stranger@elsewhere.example," + day, // neither rostered nor in a mentee domain
	}, "\n") + "\n"
	s := h.running()

	rep, err := s.Import(context.Background(), h.program.ID, strings.NewReader(csv), models.AuditBy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &delivery.ImportReport{Rows: 10, Created: 3, Skipped: 1, Errors: []csvimport.Error{
		{Line: 6, Message: "meeting_date must be a date like 2026-11-25"},
		{Line: 7, Message: notAResident},
		{Line: 8, Message: notAResident},
		{Line: 9, Message: "mentee_email is empty: an import sends links by email"},
		{Line: 10, Message: "mentee_email must be an email address"},
		{Line: 11, Message: "mentee_email " + models.ErrNotAMentee.Message},
	}}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Fatalf("first import (-want +got):\n%s", diff)
	}
	h.smtp.WaitForMails(3)

	again, err := s.Import(context.Background(), h.program.ID, strings.NewReader(csv), models.AuditBy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Created != 0 || again.Skipped != 4 || len(again.Errors) != 6 {
		t.Errorf("second import: %+v, want 0 created, 4 skipped, the same 6 errors", again)
	}
	sends, err := s.River().JobList(context.Background(), river.NewJobListParams().Kinds(delivery.SendLinkArgs{}.Kind()).First(100))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sends.Jobs); n != 3 {
		t.Fatalf("%d send jobs after two imports, want 3", n)
	}
	for _, j := range sends.Jobs {
		deliverytest.WaitForJob(t, s, j.ID)
	}
	got := map[string]int{}
	for _, m := range h.smtp.Mails() {
		got[m.To]++
	}
	if diff := cmp.Diff(map[string]int{"one@student.example": 1, "two@student.example": 1, "three@student.example": 1}, got); diff != "" {
		t.Errorf("emails per address (-want +got):\n%s", diff)
	}
}

func TestImportRefusesAFileThatIsNotCSV(t *testing.T) {
	h := newHarness(t)
	h.domains("student.example") // every mentee here joins the roster on first use
	s := h.newService(h.db)
	for name, body := range map[string]string{
		"empty":               "",
		"header-only":         "resident_email,mentee_email,meeting_date\n",
		"bad-quotes":          "amara@hospital.example,\"one@student.example,2026-01-01\n",
		"bad-quotes-mid-file": fmt.Sprintf("amara@hospital.example,a@student.example,%s\namara@hospital.example,\"b@student.example,%[1]s\n", h.today()),
		"too-many":            manyRows(h.today(), csvimport.MaxRows+1),
		"too-large":           strings.Repeat(" ", csvimport.MaxBytes-10) + "\n" + manyRows(h.today(), 1),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Import(context.Background(), h.program.ID, strings.NewReader(body), models.AuditBy{}, nil)
			// Over the byte limit is too large (413), not invalid (422).
			want := surveys.EINVALID
			if name == "too-large" {
				want = surveys.ETOOLARGE
			}
			if surveys.ErrorCode(err) != want {
				t.Errorf("err %v, want %s", err, want)
			}
			if n := countMeetings(t, h.db); n != 0 {
				t.Errorf("a refused file recorded %d meetings", n)
			}
		})
	}
}

// manyRows is n valid rows, each with its own mentee.
func manyRows(day string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "amara@hospital.example,m%d@student.example,%s\n", i, day)
	}
	return b.String()
}

func countMeetings(t *testing.T, db *models.DB) int {
	t.Helper()
	sqlDB, err := db.SQL()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := sqlDB.QueryRow("SELECT COUNT(*) FROM meetings").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// PostgreSQL cannot store a NUL byte or invalid UTF-8: such a cell is its
// row's error, named by column, and the other rows are recorded.
func TestImportRejectsARowWithANULByteOrInvalidUTF8AndRecordsTheRest(t *testing.T) {
	h := newHarness(t)
	h.domains("student.example") // every mentee here joins the roster on first use
	s := h.newService(h.db)
	day := h.today()
	csv := "\ufeffresident_email,mentee_email,meeting_date,mentee_name\n" +
		"amara@hospital.example,one@student.example," + day + ",One\n" +
		"amara@hospital.example,two@student.example," + day + ",T\x00wo\n" +
		"amara@hospital.example,thr\xffee@student.example," + day + "\n" +
		"amara@hospital.example,four@student.example," + day + "\n"
	rep, err := s.Import(context.Background(), h.program.ID, strings.NewReader(csv), models.AuditBy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &delivery.ImportReport{Rows: 4, Created: 2, Errors: []csvimport.Error{
		{Line: 3, Message: "mentee_name cannot contain a NUL byte"},
		{Line: 4, Message: "mentee_email is not valid UTF-8 text; save the file as UTF-8"},
	}}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
	if n := countMeetings(t, h.db); n != 2 {
		t.Errorf("%d meetings recorded, want 2", n)
	}
}

// notAResident is the one message of a row whose resident_email names no
// resident of the program, whatever the reason.
const notAResident = "resident_email is not the email of a resident of this program"

// TestImportTellsNothingAboutAccountsOutsideTheProgram: a director who puts
// guessed addresses in resident_email cannot tell an address with no account
// from one that has an account elsewhere (a resident or director of another
// program, or an admin), nor learn the addresses back from the report.
func TestImportTellsNothingAboutAccountsOutsideTheProgram(t *testing.T) {
	h := newHarness(t)
	h.domains("student.example") // every mentee here joins the roster on first use
	ctx := context.Background()
	other := &models.Program{Name: "Surgery"}
	if err := h.db.CreateProgram(ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*models.User{
		{Email: "res@surgery.example", Name: "Dr. Res", Role: models.RoleResident, ProgramID: &other.ID},
		{Email: "dir@surgery.example", Name: "Dr. Dir", Role: models.RoleDirector, ProgramID: &other.ID},
		{Email: "admin@hospital.example", Name: "Admin", Role: models.RoleAdmin},
	} {
		if err := h.db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	day := h.today()
	guesses := []string{"nobody@surgery.example", "res@surgery.example", "dir@surgery.example", "admin@hospital.example", "NOBODY@surgery.example"}
	var csv strings.Builder
	csv.WriteString("resident_email,mentee_email,meeting_date\n")
	for i, g := range guesses {
		fmt.Fprintf(&csv, "%s,%s,%s\n", g, mentee(i), day)
	}
	rep, err := h.newService(h.db).Import(ctx, h.program.ID, strings.NewReader(csv.String()), models.AuditBy{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 0 || len(rep.Errors) != len(guesses) {
		t.Fatalf("report %+v, want every row refused", rep)
	}
	for i, e := range rep.Errors {
		if e.Message != notAResident {
			t.Errorf("row for %s: %q, want the same message as every other row: %q", guesses[i], e.Message, notAResident)
		}
	}
}
