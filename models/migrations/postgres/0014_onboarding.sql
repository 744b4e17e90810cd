-- Set-password links are emailed (a new member's setup link, a resend, a
-- self-service reset), and the roster shows what became of each email:
-- email_status is NULL for a link shown on screen instead, then 'queued',
-- 'sent' or 'failed'; email_error is the last failed attempt's reason
-- (never the address or name: delivery's failureReason replaces them).
-- Staff accounts only: nothing here concerns a mentee.
ALTER TABLE password_links ADD COLUMN email_status TEXT;
ALTER TABLE password_links ADD COLUMN email_error TEXT;
