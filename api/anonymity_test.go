package api_test

import (
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// column is one column of a table, from the database's own catalogue.
type column struct{ Name, Type string }

// columns reads a table's columns from the catalogue.
func (f *fixture) columns(table string) []column {
	f.t.Helper()
	q := `SELECT name, type FROM pragma_table_info(?)`
	if f.db.Dialect == models.Postgres {
		q = `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`
	}
	var out []column
	f.scanRows(func(r *sql.Rows) error {
		var c column
		err := r.Scan(&c.Name, &c.Type)
		out = append(out, column{strings.ToLower(c.Name), strings.ToLower(c.Type)})
		return err
	}, q, table)
	if len(out) == 0 {
		f.t.Fatalf("table %s has no columns in the catalogue", table)
	}
	return out
}

// referencedTables lists the tables a table's foreign keys point at.
func (f *fixture) referencedTables(table string) []string {
	f.t.Helper()
	q := `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`
	if f.db.Dialect == models.Postgres {
		q = `SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = ?`
	}
	var out []string
	f.scanRows(func(r *sql.Rows) error {
		var s string
		err := r.Scan(&s)
		out = append(out, s)
		return err
	}, q, table)
	slices.Sort(out)
	return out
}

func (f *fixture) scanRows(scan func(*sql.Rows) error, query string, args ...any) {
	f.t.Helper()
	sqlDB, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	rows, err := sqlDB.Query(f.sqlFor(query), args...)
	if err != nil {
		f.t.Fatalf("query %q: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			f.t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
}

func TestResponsesCannotBeJoinedToLinks(t *testing.T) {
	f := newFixture(t)
	token := f.newLink(linkPending)
	before := f.invitationRow(token)
	if rec := f.postJSON("/api/v1/surveys/"+token, validBody); rec.Code != 201 {
		t.Fatalf("submit: %d %s", rec.Code, rec.Body)
	}

	identifying := regexp.MustCompile(`invit|link|token|hash|(^|_)ip(_|$)|addr|agent|created|submitted|updated|_at$|(^|_)time|date|seq`)
	for _, c := range f.columns("responses") {
		if identifying.MatchString(c.Name) && c.Name != "next_time" {
			t.Errorf("responses has column %s, which could identify a response or its link", c.Name)
		}
		if strings.Contains(c.Type, "time") || strings.Contains(c.Type, "date") {
			t.Errorf("responses column %s has type %s: a response keeps only its ISO week", c.Name, c.Type)
		}
	}
	if diff := cmp.Diff([]string{"programs", "report_releases", "users"}, f.referencedTables("responses")); diff != "" {
		t.Errorf("responses references (-want +got):\n%s", diff)
	}
	for _, c := range f.columns("invitations") {
		if strings.Contains(c.Name, "response") || c.Name == "completed_at" || c.Name == "updated_at" {
			t.Errorf("invitations has column %s, which could point at a response", c.Name)
		}
	}
	if refs := f.referencedTables("invitations"); slices.Contains(refs, "responses") {
		t.Errorf("invitations references responses: %v", refs)
	}

	// The submission changed only the link's status (issue 10: no week),
	// and erased its mentee key.
	after := f.invitationRow(token)
	for k, v := range after {
		want := before[k]
		switch k {
		case "status":
			want = "completed"
		case "mentee_key":
			want = ""
		}
		if v != want {
			t.Errorf("invitation %s changed from %q to %q on submit; want %q", k, before[k], v, want)
		}
	}
	if _, ok := after["completed_week"]; ok {
		t.Errorf("invitations still has completed_week")
	}
	// Nothing in the response repeats the link's token or its hash.
	hash := surveys.HashToken(token)
	f.scanRows(func(r *sql.Rows) error {
		var id, answers, window string
		if err := r.Scan(&id, &answers, &window); err != nil {
			return err
		}
		for _, v := range []string{id, answers, window} {
			if strings.Contains(v, token) || strings.Contains(v, hash) || strings.Contains(v, hash[:16]) {
				t.Errorf("held answer value %q carries the link's token or hash", v)
			}
		}
		if want := surveys.WindowOf(testNow, surveys.DefaultWindow, surveys.DefaultAcademicYearStartMonth).ID; window != want {
			t.Errorf("held answer window = %q, want %q", window, want)
		}
		return nil
	}, `SELECT id, answers, window_id FROM held_responses`)
}

// invitationRow returns every column of a link's row as text.
func (f *fixture) invitationRow(token string) map[string]string {
	f.t.Helper()
	out := map[string]string{}
	f.scanRows(func(r *sql.Rows) error {
		cols, _ := r.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case nil:
				out[c] = ""
			case []byte:
				out[c] = string(v)
			default:
				out[c] = fmt.Sprint(v)
			}
		}
		return nil
	}, `SELECT * FROM invitations WHERE token_hash = ?`, surveys.HashToken(token))
	return out
}

func TestResponseIDsAreRandom(t *testing.T) {
	f := newFixture(t)
	var order []string // ids in the order the responses were stored
	seen := map[string]bool{}
	for range 12 {
		if rec := f.postJSON("/api/v1/surveys/"+f.newLink(linkPending), validBody); rec.Code != 201 {
			t.Fatalf("submit: %d %s", rec.Code, rec.Body)
		}
		var fresh []string
		f.scanRows(func(r *sql.Rows) error {
			var id string
			err := r.Scan(&id)
			if !seen[id] {
				fresh = append(fresh, id)
			}
			return err
		}, `SELECT id FROM held_responses UNION ALL SELECT id FROM responses`)
		if len(fresh) != 1 {
			t.Fatalf("a submission added %d new ids, want 1", len(fresh))
		}
		seen[fresh[0]] = true
		order = append(order, fresh[0])
	}
	hexID := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, id := range order {
		if !hexID.MatchString(id) {
			t.Errorf("response id %q is not 128 random bits in hex", id)
		}
	}
	// Twelve random ids come out sorted once in 12! (about 5e8) runs.
	if slices.IsSorted(order) || slices.IsSortedFunc(order, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("response ids follow submission order: %v", order)
	}
}
