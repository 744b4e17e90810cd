package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

func TestMeetingsImportQueuesEachRowOnceAndReportsBadLines(t *testing.T) {
	dbURL := dbtest.URL(t)
	env := map[string]string{"MENTORPULSE_DATABASE_URL": dbURL, "MENTORPULSE_LOG_LEVEL": "error"}
	getenv := func(k string) string { return env[k] }
	mp := func(args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, getenv, &out, &errb)
		return out.String(), err
	}
	if _, err := mp("program", "create", "--name", "Medicine"); err != nil {
		t.Fatal(err)
	}
	if _, err := mp("user", "create", "--email", "amara@hospital.example", "--name", "Dr. Amara", "--role", "resident", "--program", "Medicine"); err != nil {
		t.Fatal(err)
	}
	roster := filepath.Join(t.TempDir(), "mentees.csv")
	os.WriteFile(roster, []byte("one@student.example,One\ntwo@student.example,\nthree@student.example,\n"), 0o600)
	if _, err := mp("mentees", "import", "--program", "Medicine", roster); err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	file := filepath.Join(t.TempDir(), "meetings.csv")
	os.WriteFile(file, []byte("resident_email,mentee_email,meeting_date\n"+
		"amara@hospital.example,one@student.example,"+today+"\n"+
		"amara@hospital.example,two@student.example,"+today+"\n"+
		"amara@hospital.example,three@student.example,not-a-date\n"), 0o600)

	out, err := mp("meetings", "import", file)
	if err == nil || !strings.Contains(err.Error(), "1 rows were rejected") {
		t.Errorf("err %v, want the rejected row reported", err)
	}
	for _, want := range []string{"line 4: meeting_date must be a date", "3 rows: 2 meetings recorded and their emails queued, 0 already recorded, 1 rejected"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _ = mp("meetings", "import", "--program", "Medicine", file)
	if !strings.Contains(out, "0 meetings recorded and their emails queued, 2 already recorded") {
		t.Errorf("second import:\n%s", out)
	}

	db, err := models.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms, err := db.ListMeetings(context.Background(), models.MeetingFilter{Status: models.DeliveryQueued})
	if err != nil || len(ms) != 2 {
		t.Errorf("%d queued meetings (err %v), want 2", len(ms), err)
	}
	if _, err := mp("meetings", "import"); err == nil {
		t.Error("import without a file succeeded")
	}
}
