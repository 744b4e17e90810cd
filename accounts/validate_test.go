package accounts_test

import (
	"errors"
	"reflect"
	"regexp"
	"testing"

	"github.com/mentorpulse/mentorpulse/accounts"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestPGYYearsAreTheAcceptedYears: the years the pages offer are exactly
// the years a member may be given, no more and no fewer.
func TestPGYYearsAreTheAcceptedYears(t *testing.T) {
	svc := accounts.New(nil, accounts.Config{})
	member := func(year int) accounts.NewMember {
		return accounts.NewMember{Email: "r@example.org", Name: "R", Role: "resident", PGYYear: &year}
	}
	years := accounts.PGYYears()
	if len(years) == 0 || years[0] != models.MinPGYYear || years[len(years)-1] != models.MaxPGYYear {
		t.Fatalf("PGYYears() = %v, want %d..%d", years, models.MinPGYYear, models.MaxPGYYear)
	}
	for _, y := range years {
		if err := svc.Check(member(y)); err != nil {
			t.Errorf("PGY %d offered but refused: %v", y, err)
		}
	}
	for _, y := range []int{models.MinPGYYear - 1, models.MaxPGYYear + 1} {
		if err := svc.Check(member(y)); surveys.ErrorCode(err) != surveys.EINVALID {
			t.Errorf("PGY %d accepted: %v", y, err)
		}
	}
}

// TestEveryInputFieldHasItsRule: every text field of a use case's input is
// held by the one text check (or a closed list or date format), and every
// number by a range, so no field reaches the database unchecked. A new
// field without one fails here.
func TestEveryInputFieldHasItsRule(t *testing.T) {
	inputs := []any{accounts.NewProgram{}, accounts.ProgramChanges{}, accounts.NewMember{}, accounts.NewAccount{},
		accounts.UserChanges{}, accounts.NewInvitation{}, accounts.NewMentee{}, accounts.MenteeChanges{}}
	// Passwords are hashed, never stored or shown: any byte may be in one.
	exempt := map[string]bool{"NewAccount.Password": true}
	textRule := regexp.MustCompile(`(^|,)(text|multiline|oneof=[^,]*|datetime=[^,]*)(,|$)`)
	rangeRule := regexp.MustCompile(`(^|,)(pgy_year|min_responses|reminder_after_days|max_reminders|link_lifetime_days|id)(,|$)|max=`)
	for _, in := range inputs {
		typ := reflect.TypeOf(in)
		for i := range typ.NumField() {
			f := typ.Field(i)
			name := typ.Name() + "." + f.Name
			if f.Tag.Get("json") == "-" || exempt[name] {
				continue
			}
			kind := f.Type.Kind()
			if kind == reflect.Pointer {
				kind = f.Type.Elem().Kind()
			}
			rule := f.Tag.Get("validate")
			switch kind {
			case reflect.String:
				if !textRule.MatchString(rule) {
					t.Errorf("%s (%s) has no text rule: validate:%q", name, f.Type, rule)
				}
			case reflect.Int, reflect.Int64, reflect.Int32:
				if !rangeRule.MatchString(rule) {
					t.Errorf("%s (%s) has no range: validate:%q", name, f.Type, rule)
				}
			}
		}
	}
}

// TestInputTextIsCheckedByTheUseCase: the forms and the command line fill
// the same inputs as the JSON API, so the use case's own check refuses what
// PostgreSQL cannot store and names the field.
func TestInputTextIsCheckedByTheUseCase(t *testing.T) {
	svc := accounts.New(nil, accounts.Config{})
	bad := "Dr.\x00Who"
	for name, tt := range map[string]struct {
		in    any
		field string
	}{
		"program-name":    {accounts.NewProgram{Name: bad}, "name"},
		"program-rename":  {accounts.ProgramChanges{Name: &bad}, "name"},
		"member-name":     {accounts.NewMember{Email: "m@example.org", Name: bad, Role: "director"}, "name"},
		"member-email":    {accounts.NewMember{Email: "m\xff@example.org", Name: "M", Role: "director"}, "email"},
		"account-name":    {accounts.NewAccount{Email: "m@example.org", Name: "\u202eM", Role: "admin"}, "name"},
		"user-rename":     {accounts.UserChanges{Name: ptr("\u200b")}, "name"},
		"min-responses":   {accounts.NewProgram{Name: "P", MinResponses: ptr(2147483648)}, "min_responses"},
		"resident-id-big": {accounts.NewInvitation{ResidentID: ptr(int64(accounts.MaxID + 1)), MenteeEmail: "m@example.org"}, "resident_id"},
		"expires-zero":    {accounts.NewInvitation{ExpiresInDays: ptr(0), MenteeEmail: "m@example.org"}, "expires_in_days"},
		"mentee-email":    {accounts.NewMentee{Email: bad}, "email"},
		"mentee-name":     {accounts.NewMentee{Email: "m@example.org", Name: &bad}, "name"},
		"mentee-rename":   {accounts.MenteeChanges{Name: ptr("\u200b")}, "name"},
		"mentee-domain":   {accounts.ProgramChanges{MenteeEmailDomains: &[]string{bad}}, "mentee_email_domains[0]"},
	} {
		t.Run(name, func(t *testing.T) {
			err := svc.Check(tt.in)
			var ae *surveys.Error
			if !errors.As(err, &ae) || len(ae.Fields) != 1 || ae.Fields[0].Field != tt.field || ae.Fields[0].Message == "" {
				t.Fatalf("Check(%+v) = %v, want one problem with %s", tt.in, err, tt.field)
			}
		})
	}
}
