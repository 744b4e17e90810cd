package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
)

// loadMentees is how many mentees the load test's links are spread over.
const loadMentees = 200

// createLinks makes warmup+links fresh links for one resident, in batches of
// one transaction each so setup does not dominate the run.
func createLinks(ctx context.Context, o options) ([]string, error) {
	db, err := models.Open(o.databaseURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	residents, err := ensureResidents(ctx, db, o.residents)
	if err != nil {
		return nil, err
	}
	total := o.links + o.warmup
	tokens := make([]string, 0, total)
	for len(tokens) < total {
		err := db.WithTx(ctx, func(ctx context.Context) error {
			for i := 0; i < 1000 && len(tokens) < total; i++ {
				res := residents[len(tokens)%len(residents)]
				// Each link for one of loadMentees mentees, so submissions
				// write distinct-mentee markers as real ones do.
				mentee := int64(len(tokens) % loadMentees)
				inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: res.ID, Lifetime: 24 * time.Hour, MenteeID: &mentee})
				if err != nil {
					return err
				}
				tokens = append(tokens, inv.Token)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("create links: %w", err)
		}
	}
	return tokens, nil
}

// ensureResidents returns n load-test residents of one program, creating
// what is missing. Links are spread over them as a real program's are: one
// resident's submissions queue on that resident's window_links row.
func ensureResidents(ctx context.Context, db *models.DB, n int) ([]*models.User, error) {
	p, err := db.ProgramByName(ctx, "Load test program")
	if err != nil {
		p = &models.Program{Name: "Load test program"}
		if err := db.CreateProgram(ctx, p); err != nil {
			return nil, err
		}
	}
	out := make([]*models.User, 0, n)
	for i := range n {
		email := fmt.Sprintf("loadgen-resident-%d@example.test", i+1)
		u, err := db.UserByEmail(ctx, email)
		if err != nil {
			u = &models.User{Email: email, Name: fmt.Sprintf("Load Test Resident %d", i+1), Role: models.RoleResident, ProgramID: &p.ID}
			if err := db.CreateUser(ctx, u); err != nil {
				return nil, err
			}
		}
		out = append(out, u)
	}
	return out, nil
}
