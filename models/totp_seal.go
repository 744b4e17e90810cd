package models

import (
	"context"
	"fmt"
	"strconv"
)

// TOTP secrets are sealed with AES-256-GCM under a key of their own, derived
// from MENTORPULSE_SECRET_KEY when the operator sets one (SetSumsSecret) and
// otherwise from a secret generated into the database (totpKeySecret), which
// stays in the ring so that setting the operator's secret later locks nobody
// out. Without the operator's secret a copy of the database holds everything
// needed to open them, as for links waiting for email (docs/security.md).

// totpKeySecret names the stored secret the fallback TOTP key comes from.
const totpKeySecret = "totp_key"

// totpKeyInfo is the HKDF info of the TOTP key.
const totpKeyInfo = "mentorpulse totp secret"

// totpAAD binds a sealed secret to its user, so a sealed value copied onto
// another account does not open.
func totpAAD(userID int64) []byte {
	return []byte("totp-secret:" + strconv.FormatInt(userID, 10))
}

// totpRing returns the keys that seal and open TOTP secrets: the operator's
// first when set, then the stored one. It is built per call: sign-ins are
// rare next to the requests that read sums.
func (d *DB) totpRing(ctx context.Context) (*sumsRing, error) {
	stored, err := d.EnsureStoredSecret(ctx, totpKeySecret)
	if err != nil {
		return nil, err
	}
	r := &sumsRing{}
	for _, s := range []string{d.operatorSecret(), stored} {
		if s == "" {
			continue
		}
		k, err := deriveSealKey(s, totpKeyInfo)
		if err != nil {
			return nil, fmt.Errorf("totp key: %w", err)
		}
		r.keys = append(r.keys, k)
	}
	return r, nil
}

// sealTOTP encrypts a base32 TOTP secret for userID.
func (d *DB) sealTOTP(ctx context.Context, userID int64, secret string) (string, error) {
	r, err := d.totpRing(ctx)
	if err != nil {
		return "", err
	}
	return r.sealBytes([]byte(secret), totpAAD(userID)), nil
}

// openTOTP decrypts what sealTOTP made for the same user.
func (d *DB) openTOTP(ctx context.Context, userID int64, sealed string) (string, error) {
	r, err := d.totpRing(ctx)
	if err != nil {
		return "", err
	}
	pt, err := r.openBytes(sealed, totpAAD(userID))
	if err != nil {
		return "", fmt.Errorf("open totp secret (was MENTORPULSE_SECRET_KEY changed?): %w", err)
	}
	return string(pt), nil
}
