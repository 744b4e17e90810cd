package surveys

// Release in batches.
//
// Responses about a resident are grouped, in the order they arrive, into
// consecutive batches. A batch is released (becomes visible in any report)
// when it holds the program's min_responses responses, and everything in it
// counts in the month it was released: the month (see WeekMonth) of the ISO
// week of the response that completed it. Reports only ever add or remove
// whole released batches, so whatever two reports a person compares, they
// differ by zero responses or by at least min_responses.
//
// The same rule runs in three places: in SQL on the PostgreSQL submission
// path, in models on the SQLite submission path, and in the bulk loader. All
// three are tested against a brute-force computation from raw responses.

// ReleaseState is where a resident stands in the release cycle.
type ReleaseState struct {
	// Batch is the number of the open (not yet released) batch, from 1.
	Batch int
	// Pending is how many responses the open batch holds.
	Pending int
	// Released is how many responses are in released batches.
	Released int
}

// Add records one more response under the threshold min and returns the
// batch it belongs to and the size of that batch when this response released
// it (0 when the batch stays open). A batch is released as soon as it holds
// at least min responses, with the threshold in force at that moment, so
// raising min_responses only makes the open batch wait longer.
func (s *ReleaseState) Add(min int) (batch, releasedSize int) {
	if s.Batch == 0 {
		s.Batch = 1
	}
	batch = s.Batch
	s.Pending++
	if s.Pending >= min {
		releasedSize = s.Pending
		s.Released += s.Pending
		s.Pending = 0
		s.Batch++
	}
	return batch, releasedSize
}
