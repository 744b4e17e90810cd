package surveys_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// TestRegistryTakesVersionsWhileRequestsLookThemUp: versions published while
// the service runs are registered beside lookups of others (run with -race).
func TestRegistryTakesVersionsWhileRequestsLookThemUp(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			in := *surveys.Default()
			in.Key = fmt.Sprintf("race-test-%d", i)
			if err := surveys.Register(&in); err != nil {
				t.Error(err)
			}
		}()
		go func() {
			defer wg.Done()
			if _, err := surveys.Lookup(surveys.DefaultKey, surveys.DefaultVersion); err != nil {
				t.Error(err)
			}
			_ = surveys.AllItems()
		}()
	}
	wg.Wait()
	for i := range 8 {
		if _, err := surveys.Lookup(fmt.Sprintf("race-test-%d", i), 1); err != nil {
			t.Error(err)
		}
	}
	in := *surveys.Default()
	in.Key = "race-test-0"
	if err := surveys.Register(&in); err == nil {
		t.Error("a version registered twice")
	}
}
