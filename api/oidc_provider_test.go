package api_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc/oidctest"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/mentorpulse/mentorpulse/api"
)

// testOP is an OpenID provider on 127.0.0.1 for the single sign-on tests:
// discovery, keys, an authorization endpoint that signs in whoever the
// test names, and a token endpoint that checks the client and the PKCE
// verifier and issues an RS256 ID token. The test can bend the token
// (claims, signature) to play a broken or hostile provider; verification
// stays go-oidc's. Codes may be redeemed again on purpose, so that a
// replayed callback is refused by the service and not only here.
type testOP struct {
	t        *testing.T
	srv      *httptest.Server
	key      *rsa.PrivateKey
	clientID string
	secret   string

	mu sync.Mutex
	// email is who signs in at the provider; claims, if set, changes the
	// ID token's claims before signing; tamper changes them after.
	email  string
	claims func(map[string]any)
	tamper bool
	grants map[string]opGrant
	tokens int // ID tokens issued
}

type opGrant struct{ nonce, challenge, redirect, email string }

func newTestOP(t *testing.T) *testOP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	op := &testOP{t: t, key: key, clientID: "mentorpulse-test", secret: "client secret for tests", grants: map[string]opGrant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /keys", op.keys)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	op.srv = httptest.NewServer(mux)
	t.Cleanup(op.srv.Close)
	return op
}

// config is the service's single sign-on configuration for this provider.
func (op *testOP) config(only string) *api.OIDCConfig {
	return &api.OIDCConfig{Issuer: op.srv.URL, ClientID: op.clientID, ClientSecret: op.secret, Name: "Hospital SSO", Only: only}
}

// signIn sets who the provider signs in next, and how it bends the token.
func (op *testOP) signIn(email string, claims func(map[string]any), tamper bool) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.email, op.claims, op.tamper = email, claims, tamper
}

func (op *testOP) issued() int {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.tokens
}

func (op *testOP) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"issuer":                                op.srv.URL,
		"authorization_endpoint":                op.srv.URL + "/authorize",
		"token_endpoint":                        op.srv.URL + "/token",
		"jwks_uri":                              op.srv.URL + "/keys",
		"end_session_endpoint":                  op.srv.URL + "/logout",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (op *testOP) keys(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: op.key.Public(), KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

// authorize refuses a request without PKCE S256, a state or a nonce, and
// otherwise sends the browser back with a code at once (the person has
// "signed in" at the provider).
func (op *testOP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != op.clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("state") == "" || q.Get("nonce") == "" || !strings.Contains(q.Get("scope"), "openid") {
		http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	code := rand.Text()
	op.mu.Lock()
	op.grants[code] = opGrant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri"), email: op.email}
	op.mu.Unlock()
	back, err := url.Parse(q.Get("redirect_uri"))
	if err != nil {
		http.Error(w, "bad redirect_uri", http.StatusBadRequest)
		return
	}
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token checks the client's credentials, the code, the redirect URL and the
// PKCE verifier, and answers an ID token for the grant.
func (op *testOP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != op.clientID || secret != op.secret {
		w.WriteHeader(http.StatusUnauthorized)
		writeJSON(w, map[string]string{"error": "invalid_client"})
		return
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	g, ok := op.grants[r.PostForm.Get("code")]
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirect ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		w.WriteHeader(http.StatusBadRequest)
		writeJSON(w, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": op.srv.URL, "aud": op.clientID, "sub": "sub-" + g.email, "email": g.email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "nonce": g.nonce, "amr": []string{"pwd"},
	}
	if op.claims != nil {
		op.claims(claims)
	}
	raw, _ := json.Marshal(claims)
	idToken := oidctest.SignIDToken(op.key, "k1", "RS256", string(raw))
	if op.tamper {
		// Someone between the provider and us swaps the signed claims for
		// an admin's, keeping the signature.
		claims["email"] = "admin@example.org"
		forged, _ := json.Marshal(claims)
		parts := strings.Split(idToken, ".")
		idToken = parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]
	}
	op.tokens++
	writeJSON(w, map[string]any{"access_token": "access-" + g.email, "token_type": "Bearer", "expires_in": 300, "id_token": idToken})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
