package surveys

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// tokenBytes is the random part of a link token: 256 bits.
const tokenBytes = 32

// TokenLength is the length of an encoded token.
var TokenLength = base64.RawURLEncoding.EncodedLen(tokenBytes)

// NewToken returns a fresh URL-safe token and the hash that is stored in its
// place. The token itself is never stored.
func NewToken() (token, hash string) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the hex SHA-256 of a token, the form kept in the database.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// WellFormedToken reports whether s could be a token we issued, so malformed
// values are answered without a database round trip.
func WellFormedToken(s string) bool {
	return len(s) == TokenLength && URLSafe(s)
}

// URLSafe reports whether s uses only the URL-safe base64 alphabet, the
// alphabet of every secret we put in a URL.
func URLSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
