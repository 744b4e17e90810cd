package delivery_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mentorpulse/mentorpulse/delivery"
	"github.com/mentorpulse/mentorpulse/models/dbtest"
)

func TestSealedLinkOpensOnlyForItsLinkAndWithAKnownKey(t *testing.T) {
	old, _ := delivery.NewKeyring("the old secret, long enough for a key")
	sealed := old.Seal("token-123", 7)
	if got, err := old.Open(sealed, 7); err != nil || got != "token-123" {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := old.Open(sealed, 8); !errors.Is(err, delivery.ErrUnsealable) {
		t.Errorf("opened for another link: %v", err)
	}
	rotated, _ := delivery.NewKeyring("a brand new secret, also long enough", "the old secret, long enough for a key")
	if got, err := rotated.Open(sealed, 7); err != nil || got != "token-123" {
		t.Errorf("after rotation, old seal opens as %q, %v", got, err)
	}
	stranger, _ := delivery.NewKeyring("someone else's secret entirely, long")
	if _, err := stranger.Open(sealed, 7); !errors.Is(err, delivery.ErrUnsealable) {
		t.Errorf("opened with an unknown key: %v", err)
	}
	// Dedupe keys ignore the address's case and keep recognising old rows.
	if a, b := old.DedupeKeys(1, "Sam@X.example", "2026-01-02"), rotated.DedupeKeys(1, "sam@x.example", "2026-01-02"); a[0] != b[1] {
		t.Error("rotated keyring does not recognise rows hashed with the old key")
	}
}

func TestKeyringFromTheDatabaseIsStableAndSurvivesASecretBeingSet(t *testing.T) {
	db := dbtest.New(t)
	ctx := context.Background()
	first, err := delivery.LoadKeyring(ctx, db, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	sealed := first.Seal("tok", 1)
	again, _ := delivery.LoadKeyring(ctx, db, "", nil)
	if got, err := again.Open(sealed, 1); err != nil || got != "tok" {
		t.Errorf("second start cannot open the first start's seal: %q %v", got, err)
	}
	withSecret, err := delivery.LoadKeyring(ctx, db, "an operator secret of thirty-two chars+", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := withSecret.Open(sealed, 1); err != nil || got != "tok" {
		t.Errorf("setting a secret lost the pending seal: %q %v", got, err)
	}
	if _, err := delivery.LoadKeyring(ctx, db, "too short", nil); err == nil {
		t.Error("a short secret was accepted")
	}
}

func TestSMTPURLs(t *testing.T) {
	for url, want := range map[string]string{
		"smtp://mail.example.org":                  "mail.example.org:25",
		"smtp://user:pa%40ss@mail.example.org:587": "mail.example.org:587",
		"smtps://mail.example.org":                 "mail.example.org:465",
	} {
		m, err := delivery.NewSMTPMailer(url)
		if err != nil || m.Addr() != want {
			t.Errorf("%s: addr %v err %v, want %s", url, m, err, want)
		}
	}
	for _, bad := range []string{"http://mail.example.org", "smtp://", "smtp://host:99999", "::"} {
		if _, err := delivery.NewSMTPMailer(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
