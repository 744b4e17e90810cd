-- A third optional comment prompt (issue 12: "up to three optional comment
-- prompts"). Its answers are held, mixed and released exactly as the other
-- two: the same rules, the same random order (docs/privacy.md).
ALTER TABLE held_responses ADD COLUMN other_comment TEXT;
ALTER TABLE responses ADD COLUMN other_comment TEXT;
