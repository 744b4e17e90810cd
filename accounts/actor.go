package accounts

import (
	"context"
	"slices"

	"github.com/mentorpulse/mentorpulse/models"
)

// Actor is who asks for a use case: a signed-in user with the programs they
// belong to, or the operator at the command line, who may do what an admin
// may. The zero Actor is nobody; every use case refuses it as unauthorized.
type Actor struct {
	user *models.User
	// programs are a resident's one program or a director's programs;
	// empty for an admin, who acts in every program.
	programs []int64
	operator bool
}

// Operator is the person running the mentorpulse command on the server. They
// have no account; the audit log records them as models.ActorOperator.
func Operator() Actor { return Actor{operator: true} }

// UserActor is a signed-in user who belongs to programs (see
// models.DB.UserPrograms; the HTTP layer has them already).
func UserActor(u *models.User, programs []int64) Actor {
	return Actor{user: u, programs: slices.Clone(programs)}
}

// SignedIn is UserActor with the user's programs looked up.
func (s *Service) SignedIn(ctx context.Context, u *models.User) (Actor, error) {
	programs, err := s.db.UserPrograms(ctx, u)
	if err != nil {
		return Actor{}, err
	}
	return UserActor(u, programs), nil
}

// User is the signed-in user, or nil for the operator and for nobody.
func (a Actor) User() *models.User { return a.user }

// IsOperator reports whether the actor is the command-line operator.
func (a Actor) IsOperator() bool { return a.operator }

// Admin reports whether the actor may act in every program: an admin or
// the operator.
func (a Actor) Admin() bool {
	return a.operator || a.user != nil && a.user.Role == models.RoleAdmin
}

// Member reports whether the actor belongs to a program (admins and the
// operator belong to all).
func (a Actor) Member(programID int64) bool {
	return a.Admin() || a.user != nil && slices.Contains(a.programs, programID)
}

// Manages reports whether the actor may manage a program: an admin, the
// operator, or one of its directors.
func (a Actor) Manages(programID int64) bool {
	return a.Admin() || a.user != nil && a.user.Role == models.RoleDirector && a.Member(programID)
}

// is reports whether the actor is the signed-in user with that id.
func (a Actor) is(userID int64) bool { return a.user != nil && a.user.ID == userID }

// known reports whether anyone acts at all.
func (a Actor) known() bool { return a.operator || a.user != nil }
