package api_test

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// riverPending lists jobs of a kind that have not finished.
func pendingEmailJobs(kind string) *river.JobListParams {
	return river.NewJobListParams().Kinds(kind).First(100).States(
		rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStatePending)
}
