-- The account page (docs/accounts.md): each session names its device by a
-- coarse summary such as "Firefox on Windows", chosen from a fixed list when
-- the session starts (models.DeviceOf); the user agent itself and the IP
-- address are never stored. Sessions from before this migration show as an
-- unknown device.
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

-- When the password was last set, for the account's sign-in methods. Known
-- from the audit log for passwords set before this migration (while the log
-- still holds the entry), NULL otherwise.
ALTER TABLE users ADD COLUMN password_set_at TIMESTAMPTZ;
UPDATE users SET password_set_at = (
    SELECT max(created_at) FROM audit_log
    WHERE action = 'password.set' AND target = 'user:' || users.id::text
) WHERE password_hash <> '';
