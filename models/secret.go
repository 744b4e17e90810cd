package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// AppSecret is a server-generated secret kept in the database, used only
// when the operator gives none (see docs/delivery.md).
type AppSecret struct {
	Name  string `gorm:"primaryKey"`
	Value string `gorm:"not null"`
}

// StoredSecret returns the secret with that name, or "" when there is none.
func (d *DB) StoredSecret(ctx context.Context, name string) (string, error) {
	var s AppSecret
	err := d.db(ctx).Where("name = ?", name).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read secret %s: %w", name, err)
	}
	return s.Value, nil
}

// EnsureStoredSecret returns the secret with that name, creating 32 random
// bytes (base64) the first time. Instances starting at once agree on one
// value: the loser of the insert race reads the winner's.
func (d *DB) EnsureStoredSecret(ctx context.Context, name string) (string, error) {
	if v, err := d.StoredSecret(ctx, name); err != nil || v != "" {
		return v, err
	}
	b := make([]byte, 32)
	rand.Read(b)
	v := base64.StdEncoding.EncodeToString(b)
	err := d.db(ctx).Exec(`INSERT INTO app_secrets (name, value, created_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO NOTHING`, name, v, d.now()).Error
	if err != nil {
		return "", fmt.Errorf("store secret %s: %w", name, err)
	}
	return d.StoredSecret(ctx, name)
}
