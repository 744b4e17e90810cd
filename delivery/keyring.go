package delivery

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/mentorpulse/mentorpulse/models"
)

// MinSecretLength is the shortest MENTORPULSE_SECRET_KEY accepted.
const MinSecretLength = 32

// storedSecretName names the key generated into the database when the
// operator sets none.
const storedSecretName = "delivery_key"

// Keyring holds the keys that seal link tokens waiting to be emailed and key
// the dedupe hashes of imported rows. The first key seals and hashes; the
// others only open and recognise what older keys made, so changing the
// server secret loses no pending email.
type Keyring struct {
	keys []ringKey
}

type ringKey struct {
	id     string
	aead   cipher.AEAD
	dedupe []byte
}

// NewKeyring derives keys from secrets, the first being current. Empty
// secrets are skipped; at least one is needed.
func NewKeyring(secrets ...string) (*Keyring, error) {
	k := &Keyring{}
	seen := map[string]bool{}
	for _, s := range secrets {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		rk, err := deriveRingKey(s)
		if err != nil {
			return nil, err
		}
		k.keys = append(k.keys, rk)
	}
	if len(k.keys) == 0 {
		return nil, errors.New("keyring: no secret")
	}
	return k, nil
}

func deriveRingKey(secret string) (ringKey, error) {
	derive := func(purpose string) []byte {
		b, err := hkdf.Key(sha256.New, []byte(secret), nil, "mentorpulse delivery "+purpose, 32)
		if err != nil {
			panic(err) // only for lengths sha256 cannot produce
		}
		return b
	}
	block, err := aes.NewCipher(derive("seal"))
	if err != nil {
		return ringKey{}, fmt.Errorf("keyring: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return ringKey{}, fmt.Errorf("keyring: %w", err)
	}
	return ringKey{id: hex.EncodeToString(derive("id")[:4]), aead: aead, dedupe: derive("dedupe")}, nil
}

// linkAAD binds a sealed token to its link, so a sealed value copied onto
// another meeting does not open.
func linkAAD(invitationID int64) []byte {
	return []byte("survey-link:" + strconv.FormatInt(invitationID, 10))
}

// Seal encrypts a link token for storage: "1.<key id>.<base64 nonce|ciphertext>".
func (k *Keyring) Seal(token string, invitationID int64) string {
	return k.seal(token, linkAAD(invitationID))
}

// passwordLinkAAD binds a sealed set-password token to its link, and keeps
// it apart from survey links with the same id.
func passwordLinkAAD(linkID int64) []byte {
	return []byte("password-link:" + strconv.FormatInt(linkID, 10))
}

// SealPasswordToken encrypts a set-password link's token for storage.
func (k *Keyring) SealPasswordToken(token string, linkID int64) string {
	return k.seal(token, passwordLinkAAD(linkID))
}

// OpenPasswordToken decrypts what SealPasswordToken sealed.
func (k *Keyring) OpenPasswordToken(sealed string, linkID int64) (string, error) {
	return k.open(sealed, passwordLinkAAD(linkID))
}

func (k *Keyring) seal(token string, aad []byte) string {
	cur := k.keys[0]
	nonce := make([]byte, cur.aead.NonceSize())
	rand.Read(nonce)
	ct := cur.aead.Seal(nonce, nonce, []byte(token), aad)
	return "1." + cur.id + "." + base64.RawURLEncoding.EncodeToString(ct)
}

// ErrUnsealable means a sealed token was made with a key the server no longer
// has, or was altered.
var ErrUnsealable = errors.New("the link could not be unsealed: the server key that sealed it is gone (was MENTORPULSE_SECRET_KEY changed?)")

// Open decrypts a sealed token.
func (k *Keyring) Open(sealed string, invitationID int64) (string, error) {
	return k.open(sealed, linkAAD(invitationID))
}

func (k *Keyring) open(sealed string, aad []byte) (string, error) {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "1" {
		return "", ErrUnsealable
	}
	ct, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", ErrUnsealable
	}
	for _, rk := range k.keys {
		if rk.id != parts[1] || len(ct) < rk.aead.NonceSize() {
			continue
		}
		n := rk.aead.NonceSize()
		pt, err := rk.aead.Open(nil, ct[:n], ct[n:], aad)
		if err != nil {
			return "", ErrUnsealable
		}
		return string(pt), nil
	}
	return "", ErrUnsealable
}

// DedupeKeys returns the keyed hashes that identify a meeting row (resident,
// mentee email ignoring case, date), current key first. The hash is keyed so
// that a copy of the database alone cannot test guessed addresses.
func (k *Keyring) DedupeKeys(residentID int64, menteeEmail, meetingDate string) []string {
	msg := strconv.FormatInt(residentID, 10) + "\x00" + strings.ToLower(strings.TrimSpace(menteeEmail)) + "\x00" + meetingDate
	out := make([]string, 0, len(k.keys))
	for _, rk := range k.keys {
		mac := hmac.New(sha256.New, rk.dedupe)
		mac.Write([]byte(msg))
		out = append(out, hex.EncodeToString(mac.Sum(nil)))
	}
	return out
}

// LoadKeyring builds the keyring from the operator's secret, or, when there
// is none, from a key generated into the database on first use (logged as a
// warning: a copy of that database then holds everything needed to open the
// links still waiting for email). A key stored earlier stays in the ring so
// that setting a secret later loses nothing.
func LoadKeyring(ctx context.Context, db *models.DB, secret string, log *slog.Logger) (*Keyring, error) {
	if secret != "" {
		if len(secret) < MinSecretLength {
			return nil, fmt.Errorf("MENTORPULSE_SECRET_KEY must have at least %d characters", MinSecretLength)
		}
		stored, err := db.StoredSecret(ctx, storedSecretName)
		if err != nil {
			return nil, err
		}
		return NewKeyring(secret, stored)
	}
	stored, err := db.EnsureStoredSecret(ctx, storedSecretName)
	if err != nil {
		return nil, err
	}
	if log != nil {
		log.Warn("MENTORPULSE_SECRET_KEY is unset: links waiting for email are sealed with a key kept in the database; set it in production (see docs/delivery.md)")
	}
	return NewKeyring(stored)
}
