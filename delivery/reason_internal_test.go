package delivery

import (
	"errors"
	"strings"
	"testing"
)

// Reasons are stored, handed to the job queue and logged: whatever an error
// quotes of the recipient must not survive into them.
func TestFailureReasonsNeverHoldTheRecipientsNameOrAddress(t *testing.T) {
	err := errors.New(`550 5.1.1 <Sam.Mentee@Student.example>: mailbox unavailable; ` +
		`mail: expected single address, got "\"SAM \"The Rock\">" <sam.mentee@student.example>"; user sam.mentee unknown; Rock says hi`)
	got := failureReason(err, "sam.mentee@student.example", `Sam "The Rock">`)
	for _, secret := range []string{"sam.mentee", "student.example", "rock"} {
		if strings.Contains(strings.ToLower(got), secret) {
			t.Errorf("reason keeps %q: %s", secret, got)
		}
	}
	if !strings.Contains(got, "550 5.1.1") || !strings.Contains(got, "mailbox unavailable") {
		t.Errorf("reason lost the server's words: %s", got)
	}
}
