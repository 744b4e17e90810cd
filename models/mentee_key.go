package models

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
)

// menteeKeySecret names the server key that makes mentee keys. It is a
// dedicated key generated into the database once (see EnsureStoredSecret)
// and never rotated with MENTORPULSE_SECRET_KEY: a mentee must get the same
// key before and after a rotation, or one person would count as two
// distinct mentees in a window.
const menteeKeySecret = "mentee_key"

// MenteeKey returns the pseudonym a link stores for the rostered mentee it
// is for: hex HMAC-SHA256 of "mentee:<id>" under the server's mentee key.
// Only the server can compute it; the claim erases it from the link.
func (d *DB) MenteeKey(ctx context.Context, menteeID int64) (string, error) {
	key, err := d.menteeKeyBytes(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("mentee:" + strconv.FormatInt(menteeID, 10)))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

func (d *DB) menteeKeyBytes(ctx context.Context) ([]byte, error) {
	d.menteeKeyMu.Lock()
	defer d.menteeKeyMu.Unlock()
	if d.menteeKey != nil {
		return d.menteeKey, nil
	}
	// Migrate creates the key; should it be missing, it is created in the
	// caller's transaction and cached only once it is known to be stored,
	// so a rollback cannot leave this process with a key nobody kept.
	v, err := d.StoredSecret(ctx, menteeKeySecret)
	cache := v != ""
	if err == nil && v == "" {
		v, err = d.EnsureStoredSecret(ctx, menteeKeySecret)
	}
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("mentee key: the stored secret %q is malformed", menteeKeySecret)
	}
	if cache {
		d.menteeKey = b
	}
	return b, nil
}
