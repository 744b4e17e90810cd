-- Who acted, beyond actor_id: 'operator' for someone at the command line on
-- the server (no account, but not anonymous either); '' otherwise, where
-- actor_id names the signed-in user or is NULL for someone not signed in.
ALTER TABLE audit_log ADD COLUMN actor TEXT NOT NULL DEFAULT '';
