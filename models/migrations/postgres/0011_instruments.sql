-- Each program's own instrument (issue 12). A version is a document
-- (surveys.Document, JSON); a draft may change, a published version never
-- does. program_id is the program that owns the key (NULL would be a
-- built-in one; the built-in versions live in code). A key belongs to one
-- program, and has at most one draft at a time.
CREATE TABLE instrument_versions (
    key          TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    program_id   BIGINT REFERENCES programs (id),
    status       TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    document     TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ,
    PRIMARY KEY (key, version),
    CHECK ((status = 'published') = (published_at IS NOT NULL))
);
CREATE UNIQUE INDEX instrument_versions_one_draft ON instrument_versions (key) WHERE status = 'draft';
CREATE INDEX instrument_versions_program ON instrument_versions (program_id);

-- The version new links of the program ask; NULL for the default
-- instrument. A link keeps the version it was made with.
ALTER TABLE programs ADD COLUMN instrument_key TEXT;
ALTER TABLE programs ADD COLUMN instrument_version INTEGER;
