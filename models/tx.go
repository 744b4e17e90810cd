package models

import (
	"context"
	"database/sql"

	"gorm.io/gorm"
)

// SQLTx returns the database/sql transaction carried by ctx (see WithTx), so
// that a library speaking database/sql, such as the job queue, can write in
// the same transaction as our queries. ok is false outside a transaction.
func (d *DB) SQLTx(ctx context.Context) (tx *sql.Tx, ok bool) {
	g, ok := ctx.Value(txKey{}).(*gorm.DB)
	if !ok {
		return nil, false
	}
	switch p := g.Statement.ConnPool.(type) {
	case *sql.Tx:
		return p, true
	case *gorm.PreparedStmtTX:
		// With PrepareStmt on, GORM wraps the transaction.
		tx, ok := p.Tx.(*sql.Tx)
		return tx, ok
	}
	return nil, false
}
