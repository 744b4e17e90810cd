-- Retention (issue 14): released data, closed links and meetings of a
-- program are purged once their window is more than retention_years old
-- (models/retention.go). The audit log keeps its own bound: it stays
-- append-only except for a purge, which opens audit_purge_gate inside its
-- own transaction with the cutoff; the trigger lets only rows older than
-- that go, and the gate row is removed before the transaction commits.
ALTER TABLE programs ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 7 CHECK (retention_years BETWEEN 1 AND 100);

CREATE TABLE audit_purge_gate (
    before TIMESTAMP NOT NULL
);

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log WHEN NOT EXISTS (SELECT 1 FROM audit_purge_gate g WHERE OLD.created_at < g.before) BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
