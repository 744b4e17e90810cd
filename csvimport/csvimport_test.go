package csvimport_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mentorpulse/mentorpulse/csvimport"
	"github.com/mentorpulse/mentorpulse/surveys"
)

var people = csvimport.Columns{
	Names:    []string{"email", "name", "year"},
	Required: []string{"email", "name"},
	Aliases:  map[string]string{"pgy": "year"},
}

type person struct{ email, name, year string }

// run imports body as people and returns the result and the rows applied.
func run(t *testing.T, body string) (*csvimport.Result, []person, error) {
	t.Helper()
	var applied []person
	parse := func(r csvimport.Row) (person, error) {
		p := person{r.Get("email"), r.Get("name"), r.Get("year")}
		if !strings.Contains(p.email, "@") {
			return p, surveys.Invalid("the person is not valid", []surveys.FieldError{{Field: "email", Message: "must be an email address"}})
		}
		return p, nil
	}
	apply := func(_ context.Context, p person) error {
		if p.name == "Refused" {
			return surveys.Errorf(surveys.ECONFLICT, "%s is taken", p.email)
		}
		applied = append(applied, p)
		return nil
	}
	res, err := csvimport.Import(context.Background(), strings.NewReader(body), people, parse, apply, nil)
	return res, applied, err
}

func TestImportAppliesGoodRowsAndReportsTheRestByLine(t *testing.T) {
	body := "\ufeffName, EMAIL ,PGY\n" +
		"Ana,ana@example.org,2\n" +
		"No Email,nobody,1\n" +
		"\n" +
		"  ,  \n" +
		"Refused,taken@example.org,\n" +
		"Too,many@example.org,1,extra\n" +
		`Br"oken,broken@example.org,1` + "\n" +
		"Nul\x00Name,nul@example.org,1\n" +
		"Bad\xffUTF,utf@example.org,1\n" +
		"\"Quoted, Name\",q@example.org\n"
	res, applied, err := run(t, body)
	if err != nil {
		t.Fatal(err)
	}
	wantApplied := []person{{"ana@example.org", "Ana", "2"}, {"q@example.org", "Quoted, Name", ""}}
	if diff := cmp.Diff(wantApplied, applied, cmp.AllowUnexported(person{})); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
	want := &csvimport.Result{Rows: 8, Errors: []csvimport.Error{
		{Line: 3, Message: "email must be an email address"},
		{Line: 6, Message: "taken@example.org is taken"},
		{Line: 7, Message: "expected at most 3 columns (name,email,year), found 4"},
		{Line: 8, Message: `this line is not valid CSV: bare " in non-quoted-field`},
		{Line: 9, Message: "name cannot contain a NUL byte"},
		{Line: 10, Message: "name is not valid UTF-8 text; save the file as UTF-8"},
	}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
}

func TestImportWithoutAHeaderTakesTheColumnsInOrder(t *testing.T) {
	res, applied, err := run(t, "lee@example.org,Lee,3\r\n")
	if err != nil || res.Rows != 1 || len(res.Errors) != 0 {
		t.Fatalf("headerless import: %+v, %v", res, err)
	}
	if diff := cmp.Diff([]person{{"lee@example.org", "Lee", "3"}}, applied, cmp.AllowUnexported(person{})); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
}

func TestImportWithAHeaderOfTheFirstColumnsTakesTheRestInOrder(t *testing.T) {
	res, applied, err := run(t, "email,name\nlee@example.org,Lee,3\nkim@example.org,Kim\nmo@example.org,Mo,1,extra\n")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]person{{"lee@example.org", "Lee", "3"}, {"kim@example.org", "Kim", ""}}, applied, cmp.AllowUnexported(person{})); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]csvimport.Error{{Line: 4, Message: "expected at most 3 columns (email,name,year), found 4"}}, res.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestImportRefusesTheWholeFileBeforeApplyingAnyRow(t *testing.T) {
	row := "a@example.org,A,1\n"
	for name, body := range map[string]string{
		"empty":             "",
		"header-only":       "email,name\n",
		"blank-lines-only":  "\n \n",
		"too-many-rows":     strings.Repeat(row, csvimport.MaxRows+1),
		"unknown-column":    "email,name,colour\n" + row,
		"repeated-column":   "email,name,name\n" + row,
		"missing-column":    "email,year\n" + row,
		"quote-left-open":   row + "b@example.org,\"B,2\n" + row,
		"quote-open-at-end": row + "b@example.org,\"B,2\n",
		"quote-then-text":   row + "b@example.org,\"B\"x,2\n" + row,
		"too-many-with-bad": strings.Repeat("nobody,x,1\n", csvimport.MaxRows) + row,
	} {
		t.Run(name, func(t *testing.T) {
			res, applied, err := run(t, body)
			if surveys.ErrorCode(err) != surveys.EINVALID {
				t.Errorf("err %v (result %+v), want invalid", err, res)
			}
			if len(applied) != 0 {
				t.Errorf("%d rows applied from a refused file", len(applied))
			}
		})
	}
	if _, _, err := run(t, strings.Repeat(row, csvimport.MaxRows)); err != nil {
		t.Errorf("a file of exactly %d rows: %v", csvimport.MaxRows, err)
	}
}

// A file over the byte limit is too large, not invalid: the HTTP layer
// answers 413 for it however the file arrived, and applies nothing.
func TestImportOverTheByteLimitIsTooLargeAndAppliesNothing(t *testing.T) {
	row := "a@example.org,A,1\n"
	res, applied, err := run(t, strings.Repeat(row, csvimport.MaxBytes/len(row)+1))
	if surveys.ErrorCode(err) != surveys.ETOOLARGE {
		t.Errorf("err %v (result %+v), want too large", err, res)
	}
	if len(applied) != 0 {
		t.Errorf("%d rows applied from a file over the byte limit", len(applied))
	}
	body := strings.Repeat(row, csvimport.MaxBytes/len(row))
	if _, _, err := run(t, body+strings.Repeat(" ", csvimport.MaxBytes-len(body))); err != nil && surveys.ErrorCode(err) == surveys.ETOOLARGE {
		t.Errorf("a file of exactly %d bytes: %v", csvimport.MaxBytes, err)
	}
}

func TestImportStopsAtAnInternalError(t *testing.T) {
	broken := errors.New("disk on fire")
	calls := 0
	_, err := csvimport.Import(context.Background(), strings.NewReader("a@x,A\nb@x,B\n"), people,
		func(r csvimport.Row) (string, error) { return r.Get("email"), nil },
		func(context.Context, string) error { calls++; return broken }, nil)
	if !errors.Is(err, broken) || calls != 1 {
		t.Errorf("err %v after %d rows, want the internal error after 1", err, calls)
	}
}

func TestMessageNamesTheFieldOnlyForValidatorPhrases(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{surveys.Invalid("x", []surveys.FieldError{{Field: "meeting_date", Message: "must be a date like 2026-11-25"}}), "meeting_date must be a date like 2026-11-25"},
		{surveys.Invalid("x", []surveys.FieldError{{Field: "pgy_year", Message: "a resident needs a PGY year from 1 to 7"}}), "a resident needs a PGY year from 1 to 7"},
		{surveys.Invalid("x", []surveys.FieldError{{Field: "name", Message: "is required"}, {Field: "email", Message: "cannot be empty"}}), "name is required; email cannot be empty"},
		{surveys.Errorf(surveys.ECONFLICT, "that email is in use"), "that email is in use"},
	} {
		if got := csvimport.Message(tc.err); got != tc.want {
			t.Errorf("Message(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
