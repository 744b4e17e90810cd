package httpkit

import "time"

// APITime is how the API shows a time: UTC, whole seconds.
func APITime(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// APITimePtr is APITime for a time that may be absent.
func APITimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := APITime(*t)
	return &v
}
