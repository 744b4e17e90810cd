package api_test

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// instrumentDraftPath is the path of program A's draft, made from the
// default when it has none.
func (f *acctFixture) instrumentDraftPath() string {
	f.t.Helper()
	ctx := context.Background()
	vs, err := f.srv.Accounts.ListInstruments(ctx, accounts.Operator(), f.progA.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, v := range vs {
		if v.Status == "draft" {
			return "/api/v1/instruments/" + v.Key + "/versions/" + strconv.Itoa(v.Version)
		}
	}
	v, err := f.srv.Accounts.CreateInstrumentDraft(ctx, accounts.Operator(), f.progA.ID, surveys.DefaultKey, surveys.DefaultVersion)
	if err != nil {
		f.t.Fatal(err)
	}
	return "/api/v1/instruments/" + v.Key + "/versions/" + strconv.Itoa(v.Version)
}

// draftDocument is program A's draft document as JSON.
func (f *acctFixture) draftDocument() string {
	f.t.Helper()
	vs, err := f.srv.Accounts.ListInstruments(context.Background(), accounts.Operator(), f.progA.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, v := range vs {
		if v.Status == "draft" {
			b, _ := json.Marshal(v.Document)
			return string(b)
		}
	}
	f.t.Fatal("program A has no draft")
	return ""
}

// dropInstrumentDrafts deletes every draft, so that a cell can create one.
func (f *acctFixture) dropInstrumentDrafts() {
	f.t.Helper()
	f.exec(`DELETE FROM instrument_versions WHERE status = 'draft'`)
}

// forgetInstrumentPublishes dates earlier publishes a year back, so that a
// cell may publish again in the same release window.
func (f *acctFixture) forgetInstrumentPublishes() {
	f.t.Helper()
	f.exec(`UPDATE instrument_versions SET published_at = ? WHERE published_at IS NOT NULL`, f.clock.now().AddDate(-1, 0, 0))
}

func (f *acctFixture) exec(query string, args ...any) {
	f.t.Helper()
	sqlDB, err := f.db.SQL()
	if err != nil {
		f.t.Fatal(err)
	}
	if f.db.Dialect == "postgres" {
		query = rebind(query)
	}
	if _, err := sqlDB.Exec(query, args...); err != nil {
		f.t.Fatal(err)
	}
}

// rebind numbers ? placeholders for PostgreSQL.
func rebind(q string) string {
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = append(out, '$')
			out = append(out, strconv.Itoa(n)...)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}
