package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mentorpulse/mentorpulse/models"
)

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
	res, err := ensureResident(ctx, db, o.resident)
	if err != nil {
		return nil, err
	}
	total := o.links + o.warmup
	tokens := make([]string, 0, total)
	for len(tokens) < total {
		err := db.WithTx(ctx, func(ctx context.Context) error {
			for i := 0; i < 1000 && len(tokens) < total; i++ {
				inv, err := db.CreateInvitation(ctx, models.NewInvitation{ResidentID: res.ID, Lifetime: 24 * time.Hour})
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

func ensureResident(ctx context.Context, db *models.DB, email string) (*models.User, error) {
	if u, err := db.UserByEmail(ctx, email); err == nil {
		return u, nil
	}
	p, err := db.ProgramByName(ctx, "Load test program")
	if err != nil {
		p = &models.Program{Name: "Load test program"}
		if err := db.CreateProgram(ctx, p); err != nil {
			return nil, err
		}
	}
	u := &models.User{Email: email, Name: "Load Test Resident", Role: models.RoleResident, ProgramID: &p.ID}
	if err := db.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}
