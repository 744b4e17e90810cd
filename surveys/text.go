package surveys

import (
	"errors"
	"unicode"
	"unicode/utf8"
)

// Reasons CheckText gives. Each reads after a field's name ("name must not
// contain control characters"), so forms and errors[] can use it as is.
var (
	errTextEncoding  = errors.New("must be valid UTF-8 text")
	errTextControl   = errors.New("must not contain control characters")
	errTextLineBreak = errors.New("must be a single line")
	errTextBidi      = errors.New("must not contain text-direction overrides")
	errTextInvisible = errors.New("must contain visible characters")
)

// CheckText is the one check of text a person sends us, whatever the field:
// a name, an email, a token name, a CSV cell, a comment, a query parameter.
// It accepts valid UTF-8 without control characters (C0, DEL and C1, NUL
// included, which PostgreSQL cannot store), without the bidirectional
// embeddings, overrides and isolates that make text display in an order other
// than the one stored (U+202A..U+202E, U+2066..U+2069), and, when not empty,
// with at least one visible character, so a name cannot be made of
// zero-width spaces alone. Multi-line text may hold line breaks and tabs;
// single-line text neither those nor the Unicode line and paragraph
// separators. The empty string passes: whether a field is required is the
// caller's rule.
func CheckText(s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return errTextEncoding
	}
	visible := false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r' || r == '\u2028' || r == '\u2029':
			if !multiline {
				if r == '\t' {
					return errTextControl
				}
				return errTextLineBreak
			}
		case unicode.IsControl(r):
			// unicode.IsControl also covers C1 (U+0080..U+009F), which
			// terminals and some viewers act on just like C0.
			return errTextControl
		case isBidiControl(r):
			return errTextBidi
		case !visible && isVisible(r):
			visible = true
		}
	}
	if s != "" && !visible {
		return errTextInvisible
	}
	return nil
}

// isBidiControl reports the embedding, override and isolate controls (the
// "Trojan Source" set). The marks U+200E, U+200F and U+061C stay allowed:
// right-to-left names need them and they reorder nothing around them.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}

// isVisible reports a character that shows: not a space, not a format
// character (zero-width space and joiners, word joiner, BOM, bidi marks),
// and not one of the fillers that render as blank (Hangul fillers, braille
// blank).
func isVisible(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800', '\u180E':
		return false
	}
	return !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.Mn, r) && unicode.IsGraphic(r)
}
