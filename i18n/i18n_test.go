package i18n

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every language has exactly the messages English has: a missing one
// would show a mentee the message key, a stale one is a text nobody keeps
// up to date.
func TestEveryCatalogueHasExactlyTheEnglishMessages(t *testing.T) {
	en := messages[Reference]
	if len(en) == 0 {
		t.Fatal("the English catalogue is empty")
	}
	for _, lang := range Languages() {
		msgs := messages[lang]
		for _, k := range slices.Sorted(maps.Keys(en)) {
			if strings.TrimSpace(msgs[k]) == "" {
				t.Errorf("messages/%s.json lacks %q, which English has", lang, k)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(msgs)) {
			if _, ok := en[k]; !ok {
				t.Errorf("messages/%s.json has %q, which English no longer has", lang, k)
			}
		}
	}
}

// A translation keeps the placeholders of its English message, so no
// argument goes missing or shows up as %!d(MISSING).
func TestTranslationsKeepTheirPlaceholders(t *testing.T) {
	for _, lang := range Languages() {
		for k, en := range messages[Reference] {
			if got, want := placeholders(messages[lang][k]), placeholders(en); !slices.Equal(got, want) {
				t.Errorf("%s %s: placeholders %v, English has %v", lang, k, got, want)
			}
		}
	}
}

func placeholders(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.IndexByte("[]0123456789", s[j]) >= 0 {
			j++
		}
		if j < len(s) {
			out = append(out, s[i:j+1])
		}
		i = j
	}
	slices.Sort(out)
	return out
}

func TestNegotiateKeepsToTheProgramsLanguages(t *testing.T) {
	cases := []struct {
		name, accept string
		offered      []string
		want         string
	}{
		{"spanish-browser-spanish-offered", "es-MX,es;q=0.9,en;q=0.5", []string{"en", "es"}, "es"},
		{"spanish-browser-only-english-offered", "es-ES", []string{"en"}, "en"},
		{"no-header-program-default", "", []string{"es", "en"}, "es"},
		{"unspoken-language-program-default", "fr-FR,de;q=0.8", []string{"es", "en"}, "es"},
		{"english-preferred-over-spanish", "en-GB,es;q=0.5", []string{"es", "en"}, "en"},
		{"unknown-offered-language-skipped", "fr", []string{"fr", "es"}, "es"},
		{"garbage-header", ";;;q=x", []string{"en", "es"}, "en"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Negotiate(c.accept, c.offered); got != c.want {
				t.Errorf("Negotiate(%q, %v) = %q, want %q", c.accept, c.offered, got, c.want)
			}
		})
	}
}

func TestDatesAndNumbersFollowTheLanguage(t *testing.T) {
	day := time.Date(2026, time.May, 4, 9, 0, 0, 0, time.UTC)
	en, es := For("en"), For("es")
	for _, c := range []struct{ got, want string }{
		{en.Date(day), "4 May 2026"},
		{es.Date(day), "4 de mayo de 2026"},
		{en.WeekdayDate(day), "Monday 4 May 2026"},
		{es.WeekdayDate(day), "lunes 4 de mayo de 2026"},
		{en.N(10000), "10,000"},
		{es.N(10000), "10.000"},
		{en.T("survey.up_to", 1000), "Up to 1,000 characters."},
		{es.DateOnly("2026-05-04"), "4 de mayo de 2026"},
		{For("fr").Lang(), "en"},
		{Name("es"), "Español"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
