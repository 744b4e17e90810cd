package surveys_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/mentorpulse/mentorpulse/surveys"
)

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		token, hash := surveys.NewToken()
		if len(token) != surveys.TokenLength {
			t.Fatalf("token %q has length %d, want %d", token, len(token), surveys.TokenLength)
		}
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			t.Fatalf("token %q is not unpadded URL-safe base64: %v", token, err)
		}
		if len(raw)*8 < 128 {
			t.Fatalf("token carries %d bits, want at least 128", len(raw)*8)
		}
		if strings.ContainsAny(token, "+/=%?#&") {
			t.Fatalf("token %q has characters that are not URL-safe", token)
		}
		sum := sha256.Sum256([]byte(token))
		if hash != hex.EncodeToString(sum[:]) || hash != surveys.HashToken(token) {
			t.Fatalf("hash of %q = %q, want its hex SHA-256", token, hash)
		}
		if hash == token || strings.Contains(hash, token) {
			t.Fatalf("hash %q reveals the token", hash)
		}
		if !surveys.WellFormedToken(token) {
			t.Fatalf("WellFormedToken(%q) = false for a fresh token", token)
		}
		if seen[token] {
			t.Fatalf("token %q issued twice", token)
		}
		seen[token] = true
	}
}

func TestWellFormedToken(t *testing.T) {
	good, _ := surveys.NewToken()
	tests := []struct {
		name  string
		token string
		want  bool
	}{
		{"token-accept-issued", good, true},
		{"token-accept-dash-and-underscore", strings.Repeat("-_aZ09", 8)[:surveys.TokenLength], true},
		{"token-reject-empty", "", false},
		{"token-reject-one-short", good[1:], false},
		{"token-reject-one-long", good + "A", false},
		{"token-reject-plus", "+" + good[1:], false},
		{"token-reject-slash", "/" + good[1:], false},
		{"token-reject-padding", good[1:] + "=", false},
		{"token-reject-dot", "." + good[1:], false},
		{"token-reject-non-ascii", "é" + good[2:], false},
		{"token-reject-hash-instead-of-token", surveys.HashToken(good), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := surveys.WellFormedToken(tt.token); got != tt.want {
				t.Errorf("WellFormedToken(%q) = %v, want %v", tt.token, got, tt.want)
			}
		})
	}
}
