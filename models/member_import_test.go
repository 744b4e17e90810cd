package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// A file over the row limit used to create its first 5,000 members and only
// then answer "too many rows"; it must create nobody.
func TestImportMembersOverTheRowLimitCreatesNobody(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := mustProgram(t, db, "Program A")
	var csv strings.Builder
	csv.WriteString("email,name,role,pgy_year\n")
	for i := range 5001 {
		fmt.Fprintf(&csv, "r%d@example.org,Resident %d,resident,1\n", i, i)
	}
	hooked := 0
	_, err := db.ImportMembers(ctx, p.ID, strings.NewReader(csv.String()), func(context.Context, *models.User, bool) error {
		hooked++
		return nil
	})
	if surveys.ErrorCode(err) != surveys.EINVALID {
		t.Fatalf("5001 rows: err = %v, want invalid", err)
	}
	members, err := db.Members(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 0 || hooked != 0 {
		t.Errorf("a refused file created %d members and ran the hook %d times, want none", len(members), hooked)
	}
}

// PostgreSQL refuses NUL bytes and invalid UTF-8 in text; such a cell must be
// that row's error, not an internal error halfway through the file.
func TestImportMembersRejectsRowsWithNULOrInvalidUTF8AndAppliesTheRest(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	p := mustProgram(t, db, "Program A")
	csv := "\ufeffemail,name,role,pgy_year\n" +
		"ana@example.org,Ana,resident,1\n" +
		"nul@example.org,Nul\x00Name,resident,1\n" +
		"bad\xff@example.org,Bad Bytes,resident,1\n" +
		"bo@example.org,Bo,resident,2\n"
	res, err := db.ImportMembers(ctx, p.ID, strings.NewReader(csv), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &models.ImportResult{Created: 2, Errors: res.Errors}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	var got []string
	for _, e := range res.Errors {
		got = append(got, fmt.Sprintf("%d: %s", e.Line, e.Message))
	}
	if diff := cmp.Diff([]string{"3: name cannot contain a NUL byte", "4: email is not valid UTF-8 text; save the file as UTF-8"}, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	members, _ := db.Members(ctx, p.ID)
	if len(members) != 2 {
		t.Errorf("program has %d members, want 2 (ana, bo)", len(members))
	}
}
