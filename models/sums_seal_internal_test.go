package models

import (
	"errors"
	"strings"
	"testing"
)

func testSums() menteeSums {
	return menteeSums{{N: 3, Sum: 12.5, SumSq: 53.25}, {N: 1, Sum: 4, SumSq: 16}, {}, {N: 7, Sum: 31, SumSq: 141}}
}

var testSumsKey = momentsKey{resident: 42, window: "2026-07", hash: "ab12"}

func TestSealedSumsOpenWithTheirRowAndKey(t *testing.T) {
	ring, err := newSumsRing("operator secret of at least thirty-two chars", "stored secret")
	if err != nil {
		t.Fatal(err)
	}
	sealed := ring.seal(testSums(), testSumsKey)
	if !strings.HasPrefix(sealed, "1."+ring.keys[0].id+".") {
		t.Errorf("sealed %q does not name the current key %s", sealed, ring.keys[0].id)
	}
	got, err := ring.open(sealed, testSumsKey)
	if err != nil || got != testSums() {
		t.Errorf("open = %v, %v; want %v", got, err, testSums())
	}
	for _, digits := range []string{"12.5", "53.25", "141"} {
		if strings.Contains(sealed, digits) {
			t.Errorf("sealed %q shows %s", sealed, digits)
		}
	}
	// Sealed under the stored key before the secret was set: still opens.
	old, _ := newSumsRing("stored secret")
	if got, err := ring.open(old.seal(testSums(), testSumsKey), testSumsKey); err != nil || got != testSums() {
		t.Errorf("sums sealed by the stored key: %v, %v", got, err)
	}
}

func TestSealedSumsDoNotOpenOnAnotherRow(t *testing.T) {
	ring, _ := newSumsRing("stored secret")
	sealed := ring.seal(testSums(), testSumsKey)
	for _, k := range []momentsKey{
		{resident: 43, window: "2026-07", hash: "ab12"},
		{resident: 42, window: "2026-10", hash: "ab12"},
		{resident: 42, window: "2026-07", hash: "ab13"},
	} {
		if _, err := ring.open(sealed, k); !errors.Is(err, errSumsUnsealable) {
			t.Errorf("sums of %v opened as %v: %v", testSumsKey, k, err)
		}
	}
}

func TestSealedSumsDoNotOpenWithAnotherSecret(t *testing.T) {
	a, _ := newSumsRing("stored secret")
	b, _ := newSumsRing("another secret")
	sealed := a.seal(testSums(), testSumsKey)
	if _, err := b.open(sealed, testSumsKey); !errors.Is(err, errSumsUnsealable) {
		t.Errorf("opened with another secret: %v", err)
	}
	// The same key id with other bytes (a forged id) does not open either.
	forged := "1." + b.keys[0].id + sealed[strings.LastIndex(sealed, "."):]
	if _, err := b.open(forged, testSumsKey); !errors.Is(err, errSumsUnsealable) {
		t.Errorf("opened a ciphertext relabelled with another key id: %v", err)
	}
}

func TestSealedSumsHaveOneLength(t *testing.T) {
	ring, _ := newSumsRing("stored secret")
	want := len(ring.seal(menteeSums{}, testSumsKey))
	for _, m := range []menteeSums{testSums(), {{N: 4000000000, Sum: 1e300, SumSq: 1e-300}, {}, {}, {}}} {
		if got := len(ring.seal(m, testSumsKey)); got != want {
			t.Errorf("sealed length %d for %v, %d for empty sums", got, m, want)
		}
	}
	if a, b := ring.seal(testSums(), testSumsKey), ring.seal(testSums(), testSumsKey); a == b {
		t.Error("sealing the same sums twice gave the same text: the nonce is not fresh")
	}
}
