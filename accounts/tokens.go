package accounts

import (
	"context"
	"strconv"

	"github.com/mentorpulse/mentorpulse/models"
)

// NewToken is a personal API token to create: POST /api/v1/tokens and the
// account page's form.
type NewToken struct {
	Name string `json:"name" form:"name" validate:"required,max=100,text"`
}

// CreatedToken is a new token with its secret, which exists only here: it is
// shown once and stored hashed.
type CreatedToken struct {
	Token  *models.APIToken
	Secret string
}

// CreateMyToken creates a personal API token for the actor. It acts as its
// owner, with the owner's access, until revoked or the password changes.
func (s *Service) CreateMyToken(ctx context.Context, a Actor, in NewToken) (*CreatedToken, error) {
	u, err := own(a)
	if err != nil {
		return nil, err
	}
	if err := s.v.check(in); err != nil {
		return nil, err
	}
	out := &CreatedToken{}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if out.Token, out.Secret, err = s.db.CreateAPIToken(ctx, u.ID, in.Name); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionTokenCreate, Target: tokenTarget(out.Token.ID),
			ProgramID: u.ProgramID, Detail: out.Token.Name})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MyTokens lists the actor's API tokens, revoked ones included, newest
// first.
func (s *Service) MyTokens(ctx context.Context, a Actor) ([]models.APIToken, error) {
	u, err := own(a)
	if err != nil {
		return nil, err
	}
	return s.db.APITokens(ctx, u.ID)
}

// RevokeMyToken revokes one of the actor's tokens; someone else's is
// not_found. Revoking twice is not an error.
func (s *Service) RevokeMyToken(ctx context.Context, a Actor, id int64) (*models.APIToken, error) {
	u, err := own(a)
	if err != nil {
		return nil, err
	}
	var t *models.APIToken
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if t, err = s.db.RevokeAPIToken(ctx, u.ID, id); err != nil {
			return err
		}
		return s.audit(ctx, a, models.AuditEntry{Action: models.ActionTokenRevoke, Target: tokenTarget(t.ID),
			ProgramID: u.ProgramID, Detail: t.Name})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func tokenTarget(id int64) string { return "token:" + strconv.FormatInt(id, 10) }
