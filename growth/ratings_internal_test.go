package growth

import (
	"errors"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// An item every meeting can answer refuses "not applicable"; the default
// instrument has none such, so this builds one.
func TestNullIsRefusedWhereTheItemHasNoNotApplicable(t *testing.T) {
	in := &surveys.Instrument{Key: "program-9", Version: 2, Scale: surveys.Scale{Min: 1, Max: 5, AllowNotApplicable: true},
		Items: []surveys.Item{{Key: "A1", Attribute: surveys.Availability}, {Key: "G", Attribute: surveys.Overall, NoNotApplicable: true}}}
	if err := checkRatings(in, map[string]*int{"A1": nil, "G": new(3)}); err != nil {
		t.Errorf("null where allowed: %v", err)
	}
	err := checkRatings(in, map[string]*int{"A1": nil, "G": nil})
	var ae *surveys.Error
	if !errors.As(err, &ae) || ae.Code != surveys.EINVALID || len(ae.Fields) != 1 || ae.Fields[0].Field != "ratings.G" {
		t.Fatalf("null where not allowed: %v", err)
	}
	in.Scale.AllowNotApplicable = false
	if err := checkRatings(in, map[string]*int{"A1": nil, "G": new(3)}); !errors.As(err, &ae) || ae.Fields[0].Field != "ratings.A1" {
		t.Errorf("null on a scale without not applicable: %v", err)
	}
}
