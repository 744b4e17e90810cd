-- Self-service password resets are emailed: the link's token waits here,
-- sealed with the server key, until the email job has sent it, and is then
-- erased (NULL). Links made by a director or admin are shown once and never
-- sealed.
ALTER TABLE password_links ADD COLUMN sealed_token TEXT;
