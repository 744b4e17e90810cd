package httpkit

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/mentorpulse/mentorpulse/models"
	"github.com/mentorpulse/mentorpulse/surveys"
	"golang.org/x/oauth2"
)

// Who must sign in through the identity provider (OIDCConfig.Only).
const (
	// OIDCOnlyNone lets everyone use a password as well.
	OIDCOnlyNone = "none"
	// OIDCOnlyStaff refuses passwords of directors and admins.
	OIDCOnlyStaff = "staff"
	// OIDCOnlyAll refuses every password.
	OIDCOnlyAll = "all"
)

// OIDCCallbackPath is where the provider sends the browser back, on BaseURL;
// the operator registers {BaseURL}/auth/oidc/callback with the provider.
const OIDCCallbackPath = "/auth/oidc/callback"

// oidcFlowLifetime bounds the time between leaving for the provider and
// coming back: the state cookie expires then, and a used state is
// remembered as long.
const oidcFlowLifetime = 10 * time.Minute

// OIDCConfig is the one OpenID Connect provider a deployment signs its
// staff in through. Nil in Config means no single sign-on.
type OIDCConfig struct {
	// Issuer is the provider's issuer URL; its discovery document is read
	// from Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string // never logged
	// Name is the provider's name on the sign-in button.
	Name string
	// Only is OIDCOnlyNone, OIDCOnlyStaff or OIDCOnlyAll.
	Only string
	// ACR, when set, is an acr value that counts as a second factor.
	ACR string
	// HostedDomain, when set, must equal the ID token's hd claim (Google
	// Workspace's domain): Google's issuer signs in every Google account,
	// and hd is what tells the organisation's from the rest.
	HostedDomain string
	// StateKey signs the cookie that carries a sign-in's state, nonce and
	// PKCE verifier between leaving for the provider and coming back. Empty:
	// a random key per process, so a sign-in must come back to the
	// instance it started on.
	StateKey []byte
}

// PasswordAllowed says whether a user of role may sign in with a password.
func (o *OIDCConfig) PasswordAllowed(role string) bool {
	if o == nil {
		return true
	}
	switch o.Only {
	case OIDCOnlyAll:
		return false
	case OIDCOnlyStaff:
		return role == models.RoleResident
	}
	return true
}

// PasswordsRefused says whether no password is accepted at all, so that the
// sign-in page need not show the password form.
func (o *OIDCConfig) PasswordsRefused() bool { return o != nil && o.Only == OIDCOnlyAll }

// SSO runs the authorization code flow against the configured provider:
// discovery (lazily, retried until it works), the state cookie, the code
// exchange and the ID token's verification, all through go-oidc and
// x/oauth2.
type SSO struct {
	cfg      OIDCConfig
	redirect string
	key      []byte
	log      *slog.Logger
	client   *http.Client
	now      func() time.Time

	mu       sync.Mutex
	provider *oidc.Provider
	used     map[string]time.Time // states already come back, until they expire
}

func newSSO(cfg *OIDCConfig, baseURL string, log *slog.Logger) *SSO {
	key := cfg.StateKey
	if len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	return &SSO{cfg: *cfg, redirect: baseURL + OIDCCallbackPath, key: key, log: log,
		client: &http.Client{Timeout: 15 * time.Second}, now: time.Now, used: map[string]time.Time{}}
}

// Name is the provider's name as the sign-in page shows it.
func (s *SSO) Name() string { return s.cfg.Name }

// Method is the sign-in method recorded in the audit log: "oidc:<name>".
func (s *SSO) Method() string { return "oidc:" + s.cfg.Name }

func (s *SSO) clientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, s.client)
}

// discover returns the provider, reading its discovery document the first
// time it is needed. A provider that cannot be reached is logged and tried
// again on the next sign-in.
func (s *SSO) discover(ctx context.Context) (*oidc.Provider, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil {
		return s.provider, nil
	}
	// The provider keeps the context's client for its keys; the request's
	// cancellation must not outlive it.
	p, err := oidc.NewProvider(s.clientContext(context.WithoutCancel(ctx)), s.cfg.Issuer)
	if err != nil {
		s.log.Error("single sign-on: the identity provider's discovery document cannot be read", "issuer", s.cfg.Issuer, "err", err)
		return nil, surveys.Errorf(surveys.EUNAVAILABLE, "%s cannot be reached just now; try again in a minute", s.cfg.Name)
	}
	s.provider = p
	return p, nil
}

func (s *SSO) oauth2Config(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: s.redirect, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// oidcFlow is what the state cookie carries from the start of a sign-in to
// the callback.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"`
	Expires  int64  `json:"e"`
}

// Begin starts a sign-in: the provider's authorization URL (PKCE S256,
// state, nonce) and the signed cookie value that must come back with it.
func (s *SSO) Begin(ctx context.Context, next string) (authURL, cookie string, err error) {
	p, err := s.discover(ctx)
	if err != nil {
		return "", "", err
	}
	f := oidcFlow{State: randomValue(), Nonce: randomValue(), Verifier: oauth2.GenerateVerifier(), Next: next,
		Expires: s.now().Add(oidcFlowLifetime).Unix()}
	authURL = s.oauth2Config(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier))
	return authURL, s.sign(f), nil
}

// SSOIdentity is what a verified ID token says about who signed in.
type SSOIdentity struct {
	Email string
	// MFA says the provider asserted a second factor (amr has mfa or otp,
	// or acr is the configured value).
	MFA bool
	// Next is where the sign-in was asked to lead.
	Next string
}

// SSOError is a refused callback. Reason is from a fixed vocabulary and
// never holds anything from the token.
type SSOError struct {
	Reason string
	// Flow says the browser came back without a usable state (none, a
	// stale one, another's, or one already used): a bad request, not a
	// verdict on who signed in.
	Flow bool
	// Foreign says the token is valid but of an account outside the
	// organisation (another Google Workspace domain, or none).
	Foreign bool
	err     error
}

func (e *SSOError) Error() string { return "single sign-on refused: " + e.Reason }
func (e *SSOError) Unwrap() error { return e.err }

func refused(reason string, err error) error { return &SSOError{Reason: reason, err: err} }

func badFlow(reason string) error { return &SSOError{Reason: reason, Flow: true} }

// Finish checks the callback's state against the cookie (once: a state
// that came back before is refused), exchanges the code with the PKCE
// verifier and verifies the ID token (signature from the provider's keys,
// issuer, audience, expiry) and its nonce.
func (s *SSO) Finish(ctx context.Context, cookie, state, code string) (SSOIdentity, error) {
	f, ok := s.open(cookie)
	if !ok {
		return SSOIdentity{}, badFlow("missing or expired state")
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(f.State)) != 1 {
		return SSOIdentity{}, badFlow("state mismatch")
	}
	if !s.useState(f.State, time.Unix(f.Expires, 0)) {
		return SSOIdentity{}, badFlow("state reused")
	}
	p, err := s.discover(ctx)
	if err != nil {
		return SSOIdentity{}, err
	}
	ctx = s.clientContext(ctx)
	tok, err := s.oauth2Config(p).Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return SSOIdentity{}, refused("code exchange failed", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return SSOIdentity{}, refused("no ID token", nil)
	}
	idt, err := p.VerifierContext(ctx, &oidc.Config{ClientID: s.cfg.ClientID, Now: s.now}).Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return SSOIdentity{}, refused("ID token expired", err)
		}
		return SSOIdentity{}, refused("ID token not valid", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return SSOIdentity{}, refused("nonce mismatch", nil)
	}
	var claims struct {
		Email         string   `json:"email"`
		EmailVerified *bool    `json:"email_verified"`
		AMR           []string `json:"amr"`
		ACR           string   `json:"acr"`
		HD            string   `json:"hd"`
	}
	if err := idt.Claims(&claims); err != nil {
		return SSOIdentity{}, refused("claims unreadable", err)
	}
	if claims.Email == "" || claims.EmailVerified == nil || !*claims.EmailVerified {
		return SSOIdentity{}, refused("no verified email", nil)
	}
	if s.cfg.HostedDomain != "" && !strings.EqualFold(claims.HD, s.cfg.HostedDomain) {
		return SSOIdentity{}, &SSOError{Reason: "not an account of the hosted domain", Foreign: true}
	}
	mfa := slices.Contains(claims.AMR, "mfa") || slices.Contains(claims.AMR, "otp") ||
		(s.cfg.ACR != "" && claims.ACR == s.cfg.ACR)
	return SSOIdentity{Email: claims.Email, MFA: mfa, Next: f.Next}, nil
}

// LogoutURL is the provider's end_session_endpoint, if its discovery
// document has one and it has been read (by a sign-in since this process
// started); "" otherwise. It never waits on the provider.
func (s *SSO) LogoutURL() string {
	s.mu.Lock()
	p := s.provider
	s.mu.Unlock()
	if p == nil {
		return ""
	}
	var d struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&d); err != nil || d.EndSession == "" {
		return ""
	}
	u, err := url.Parse(d.EndSession)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	q := u.Query()
	q.Set("client_id", s.cfg.ClientID)
	u.RawQuery = q.Encode()
	return u.String()
}

// useState records a state as used and says whether it was new. Used states
// are kept until their cookie would have expired anyway. Several instances
// each keep their own; the provider's single-use codes cover the rest.
func (s *SSO) useState(state string, expires time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, exp := range s.used {
		if now.After(exp) {
			delete(s.used, k)
		}
	}
	if _, seen := s.used[state]; seen {
		return false
	}
	s.used[state] = expires
	return true
}

func (s *SSO) mac(payload string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("mentorpulse oidc flow\x00" + payload))
	return m.Sum(nil)
}

func (s *SSO) sign(f oidcFlow) string {
	b, _ := json.Marshal(f)
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(s.mac(payload))
}

func (s *SSO) open(cookie string) (oidcFlow, bool) {
	var f oidcFlow
	payload, sig, ok := strings.Cut(cookie, ".")
	if !ok {
		return f, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, s.mac(payload)) {
		return f, false
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(b, &f) != nil || !s.now().Before(time.Unix(f.Expires, 0)) {
		return oidcFlow{}, false
	}
	return f, true
}

func randomValue() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("random: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
