package surveys

import "testing"

func TestLinkURLs(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"survey-plain-base", SurveyURL("https://f.example.org", "tok"), "https://f.example.org/s/tok"},
		{"survey-trailing-slash-dropped", SurveyURL("https://f.example.org/", "tok"), "https://f.example.org/s/tok"},
		{"survey-empty-base-is-a-path", SurveyURL("", "tok"), "/s/tok"},
		{"password-plain-base", SetPasswordURL("http://localhost:8080", "tok"), "http://localhost:8080/set-password/tok"},
		{"password-trailing-slashes-dropped", SetPasswordURL("http://localhost:8080//", "tok"), "http://localhost:8080/set-password/tok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
