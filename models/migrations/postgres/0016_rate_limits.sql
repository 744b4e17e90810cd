-- Rate limits shared by every instance on one PostgreSQL database: one token
-- bucket per limiter and key (see models/rate_limit.go). key_hash is hex
-- HMAC-SHA256 of the limiter's name and the key (an IP address or a typed
-- email) under a key derived from MENTORPULSE_SECRET_KEY (or a stored secret
-- when none is set): no address or email is kept in clear. tokens is the
-- bucket's level as of updated_at (Unix microseconds); expires_at is when it
-- is full again at the latest, after which the row is purged. On SQLite the
-- limits stay in process and the table stays empty.
CREATE TABLE rate_limits (
	key_hash TEXT PRIMARY KEY,
	tokens DOUBLE PRECISION NOT NULL,
	updated_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX rate_limits_expires_at ON rate_limits (expires_at);
