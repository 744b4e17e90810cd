package surveys

import "testing"

func TestReleaseStateBatches(t *testing.T) {
	var s ReleaseState
	var got [][2]int
	for range 11 {
		b, size := s.Add(5)
		got = append(got, [2]int{b, size})
	}
	want := [][2]int{{1, 0}, {1, 0}, {1, 0}, {1, 0}, {1, 5}, {2, 0}, {2, 0}, {2, 0}, {2, 0}, {2, 5}, {3, 0}}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("response %d: got batch %d released %d, want %v", i+1, got[i][0], got[i][1], want[i])
		}
	}
	if s.Released != 10 || s.Pending != 1 || s.Batch != 3 {
		t.Errorf("state %+v, want 10 released, 1 pending, batch 3 open", s)
	}
}

func TestReleaseStateThresholdChanges(t *testing.T) {
	s := ReleaseState{Batch: 1, Pending: 4}
	// Raised to 7: the open batch of 4 waits for three more.
	if _, size := s.Add(7); size != 0 {
		t.Fatalf("released at 5 of 7")
	}
	s.Add(7)
	if _, size := s.Add(7); size != 7 {
		t.Fatalf("want release of 7 at the new threshold, got %d", size)
	}
	// Lowered to 3 with 4 pending: the next response releases all 5.
	s = ReleaseState{Batch: 2, Pending: 4}
	if b, size := s.Add(3); b != 2 || size != 5 {
		t.Fatalf("got batch %d size %d, want batch 2 released with 5", b, size)
	}
}
