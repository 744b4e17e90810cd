package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/mentorpulse/mentorpulse/surveys"
)

// A mentee's running sums of an open group (window_moments.sums) are sealed
// with AES-256-GCM, so that a copy of the database taken mid-window shows
// none of them. The key comes from MENTORPULSE_SECRET_KEY when the operator
// sets one (SetSumsSecret); a key generated into the database (sumsKeySecret)
// is always in the ring too, and seals when no secret is set.

// sumsKeySecret names the stored secret the fallback sums key is derived from.
const sumsKeySecret = "sums_key"

// sumsKeyInfo is the HKDF info of the sums key: a key of its own, apart from
// delivery's, whatever secret both are derived from.
const sumsKeyInfo = "mentorpulse mentee sums"

// errSumsUnsealable means a sealed row was made with a key the server no
// longer has (the secret changed mid-window), or was altered.
var errSumsUnsealable = errors.New("mentee sums could not be opened")

// sum3 is one attribute's count, sum and sum of squares of response scores.
type sum3 struct {
	N          uint32
	Sum, SumSq float64
}

func (s *sum3) add(o sum3) {
	s.N += o.N
	s.Sum += o.Sum
	s.SumSq += o.SumSq
}

// menteeSums are one mentee's sums per attribute, in surveys.Attributes
// order (an append-only list).
type menteeSums [4]sum3

func init() {
	if len(surveys.Attributes) != len(menteeSums{}) {
		panic("models: menteeSums must hold one entry per surveys.Attributes")
	}
}

// sumsOf is one response's contribution: each rated attribute's score.
func sumsOf(scores map[surveys.Attribute]*float64) menteeSums {
	var out menteeSums
	for i, a := range surveys.Attributes {
		if v := scores[a]; v != nil {
			out[i] = sum3{N: 1, Sum: *v, SumSq: *v * *v}
		}
	}
	return out
}

func (m *menteeSums) add(o menteeSums) {
	for i := range m {
		m[i].add(o[i])
	}
}

// sumsPlainLen is the fixed plaintext length: the ciphertext's length says
// nothing of the sums.
const sumsPlainLen = 4 * (4 + 8 + 8)

func (m menteeSums) marshal() []byte {
	b := make([]byte, 0, sumsPlainLen)
	for _, s := range m {
		b = binary.BigEndian.AppendUint32(b, s.N)
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(s.Sum))
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(s.SumSq))
	}
	return b
}

func unmarshalSums(b []byte) (menteeSums, error) {
	var m menteeSums
	if len(b) != sumsPlainLen {
		return m, errSumsUnsealable
	}
	for i := range m {
		m[i].N = binary.BigEndian.Uint32(b)
		m[i].Sum = math.Float64frombits(binary.BigEndian.Uint64(b[4:]))
		m[i].SumSq = math.Float64frombits(binary.BigEndian.Uint64(b[12:]))
		b = b[20:]
	}
	return m, nil
}

// momentsKey is a window_moments row's key.
type momentsKey struct {
	resident int64
	window   string
	hash     string
}

// aad binds a sealed value to its row, so sums copied onto another mentee,
// window or resident do not open.
func (k momentsKey) aad() []byte {
	return []byte("window-moments:" + strconv.FormatInt(k.resident, 10) + ":" + k.window + ":" + k.hash)
}

type sumsKey struct {
	id   string
	aead cipher.AEAD
}

// sumsRing holds the keys: the first seals, any opens what it made.
type sumsRing struct {
	keys []sumsKey
}

func deriveSumsKey(secret string) (sumsKey, error) { return deriveSealKey(secret, sumsKeyInfo) }

// deriveSealKey derives an AES-256-GCM key and its id from secret for one
// purpose (info), so that keys for different data never coincide.
func deriveSealKey(secret, info string) (sumsKey, error) {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, info, 32)
	if err != nil {
		return sumsKey{}, err
	}
	id, err := hkdf.Key(sha256.New, []byte(secret), nil, info+" id", 4)
	if err != nil {
		return sumsKey{}, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return sumsKey{}, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return sumsKey{}, err
	}
	return sumsKey{id: hex.EncodeToString(id), aead: aead}, nil
}

func newSumsRing(secrets ...string) (*sumsRing, error) {
	r := &sumsRing{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		k, err := deriveSumsKey(s)
		if err != nil {
			return nil, fmt.Errorf("sums key: %w", err)
		}
		r.keys = append(r.keys, k)
	}
	if len(r.keys) == 0 {
		return nil, errors.New("sums key: no secret")
	}
	return r, nil
}

// seal encrypts sums for their row: "1.<key id>.<base64 nonce|ciphertext>".
func (r *sumsRing) seal(m menteeSums, k momentsKey) string {
	return r.sealBytes(m.marshal(), k.aad())
}

// open decrypts what seal made for the same row, with the key it names.
func (r *sumsRing) open(sealed string, k momentsKey) (menteeSums, error) {
	pt, err := r.openBytes(sealed, k.aad())
	if err != nil {
		return menteeSums{}, err
	}
	return unmarshalSums(pt)
}

// sealBytes encrypts a fixed-length plaintext bound to aad.
func (r *sumsRing) sealBytes(pt, aad []byte) string {
	cur := r.keys[0]
	nonce := make([]byte, cur.aead.NonceSize())
	rand.Read(nonce)
	ct := cur.aead.Seal(nonce, nonce, pt, aad)
	return "1." + cur.id + "." + base64.RawURLEncoding.EncodeToString(ct)
}

// openBytes decrypts what sealBytes made for the same aad, with the key it
// names.
func (r *sumsRing) openBytes(sealed string, aad []byte) ([]byte, error) {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "1" {
		return nil, errSumsUnsealable
	}
	ct, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, errSumsUnsealable
	}
	for _, key := range r.keys {
		n := key.aead.NonceSize()
		if key.id != parts[1] || len(ct) < n {
			continue
		}
		pt, err := key.aead.Open(nil, ct[:n], ct[n:], aad)
		if err != nil {
			return nil, errSumsUnsealable
		}
		return pt, nil
	}
	return nil, errSumsUnsealable
}

// sumsKeys is the DB's ring, built on first use.
type sumsKeys struct {
	mu     sync.Mutex
	secret string
	ring   *sumsRing
}

// SetSumsSecret sets the operator's secret (MENTORPULSE_SECRET_KEY) that
// seals mentee sums from now on; the stored key stays in the ring, so sums
// sealed before still open. Empty leaves the stored key sealing.
func (d *DB) SetSumsSecret(secret string) {
	d.sums.mu.Lock()
	defer d.sums.mu.Unlock()
	d.sums.secret = secret
	d.sums.ring = nil
}

// sumsRing returns the ring: the operator's key first when set, then the
// stored one. As with the mentee key, a stored key created inside the
// caller's transaction is cached only once it is known to be stored.
func (d *DB) sumsRing(ctx context.Context) (*sumsRing, error) {
	d.sums.mu.Lock()
	defer d.sums.mu.Unlock()
	if d.sums.ring != nil {
		return d.sums.ring, nil
	}
	stored, err := d.StoredSecret(ctx, sumsKeySecret)
	cache := stored != ""
	if err == nil && stored == "" {
		stored, err = d.EnsureStoredSecret(ctx, sumsKeySecret)
	}
	if err != nil {
		return nil, err
	}
	ring, err := newSumsRing(d.sums.secret, stored)
	if err != nil {
		return nil, err
	}
	if cache {
		d.sums.ring = ring
	}
	return ring, nil
}
