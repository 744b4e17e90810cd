package models

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/crypto/bcrypt"
)

// PasswordCost is the bcrypt cost of new password hashes. Tests lower it to
// bcrypt.MinCost; production keeps the default.
var PasswordCost = bcrypt.DefaultCost

//go:embed common_passwords.txt
var commonPasswordsFile string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// CheckPassword applies the password policy: at least MinPasswordLength
// characters, at most 72 bytes (bcrypt's limit), enough different characters,
// and not a common password or a common word padded with digits and symbols.
func CheckPassword(password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return passwordInvalid("a password needs at least %d characters", MinPasswordLength)
	}
	if len(password) > 72 {
		return passwordInvalid("a password can have at most 72 bytes")
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	if len(distinct) < 5 {
		return passwordInvalid("this password repeats too few different characters; choose a longer phrase")
	}
	lower := strings.ToLower(password)
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if list := commonPasswords(); list[lower] || list[core] || list[strings.ReplaceAll(lower, " ", "")] {
		return passwordInvalid("this password is too common and easy to guess; choose another, e.g. a phrase of several unrelated words")
	}
	return nil
}

// CheckPasswordFor applies CheckPassword and also refuses a password built
// on the user's own email address.
func CheckPasswordFor(u *User, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	lower := strings.ToLower(password)
	local, _, _ := strings.Cut(strings.ToLower(u.Email), "@")
	if lower == strings.ToLower(u.Email) || (len(local) >= 5 && strings.Contains(lower, local)) {
		return passwordInvalid("a password must not contain your email address")
	}
	return nil
}

func passwordInvalid(format string, args ...any) error {
	e := surveys.Errorf(surveys.EINVALID, format, args...)
	e.Fields = []surveys.FieldError{{Field: "password", Message: e.Message}}
	return e
}

// dummyHash is compared against when a sign-in names no known account, so
// that an unknown email takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("no account has this password"), PasswordCost)
	if err != nil {
		panic(err) // only fails for a cost out of range
	}
	return h
})
