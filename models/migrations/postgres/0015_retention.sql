-- Retention (issue 14): released data, closed links and meetings of a
-- program are purged once their window is more than retention_years old
-- (models/retention.go). The audit log keeps its own bound: it stays
-- append-only except for a purge, which opens audit_purge_gate inside its
-- own transaction with the cutoff; the trigger lets only rows older than
-- that go, and the gate row is removed before the transaction commits, so
-- no other transaction ever sees it.
ALTER TABLE programs ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 7 CHECK (retention_years BETWEEN 1 AND 100);

CREATE TABLE audit_purge_gate (
    before TIMESTAMPTZ NOT NULL
);

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_purge_gate g WHERE OLD.created_at < g.before) THEN RETURN OLD; END IF; RAISE EXCEPTION 'audit_log is append-only'; END $$;
