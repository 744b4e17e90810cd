-- Report aggregates, kept up to date by every submission in the same
-- statement, so reports never read individual answers.
--
-- A response belongs to a release batch (see surveys/release.go). Comments
-- are shown only from released batches, so the response keeps its batch.
ALTER TABLE responses ADD COLUMN batch INTEGER;
CREATE INDEX responses_resident_batch ON responses (resident_id, batch);

-- Where each resident stands in the release cycle, with the tallies of the
-- open (unreleased) batch. Submissions about one resident serialise on this
-- row, which keeps batch numbers exact. open_counts holds six counts per
-- item (ratings 1..5, then "not applicable") in the order of
-- models.reportItems; released_counts the same for the batch released last.
CREATE TABLE report_counters (
    resident_id     BIGINT PRIMARY KEY REFERENCES users (id),
    program_id      BIGINT NOT NULL REFERENCES programs (id),
    min_responses   INTEGER NOT NULL,
    batch           INTEGER NOT NULL,
    pending         INTEGER NOT NULL,
    released        INTEGER NOT NULL,
    last_size       INTEGER NOT NULL DEFAULT 0,
    open_counts     INTEGER[] NOT NULL DEFAULT '{}',
    released_counts INTEGER[] NOT NULL DEFAULT '{}'
);

-- Released tallies per resident, release month and item: what reports read.
CREATE TABLE report_released (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    month       TEXT NOT NULL,
    item        TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    attribute   TEXT NOT NULL,
    n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL, n5 INTEGER NOT NULL,
    na INTEGER NOT NULL,
    PRIMARY KEY (resident_id, month, item)
);
CREATE INDEX report_released_program ON report_released (program_id, month);

-- Released responses per resident and release month.
CREATE TABLE report_months (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    month       TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    responses   INTEGER NOT NULL,
    batches     INTEGER NOT NULL,
    PRIMARY KEY (resident_id, month)
);
CREATE INDEX report_months_program ON report_months (program_id, month);

-- One row per released batch: its release month, for the comments query.
CREATE TABLE report_batches (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    batch       INTEGER NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    month       TEXT NOT NULL,
    responses   INTEGER NOT NULL,
    PRIMARY KEY (resident_id, batch)
);
CREATE INDEX report_batches_month ON report_batches (resident_id, month);

-- Survey links per resident and month of creation (UTC), by outcome, for
-- response rates.
CREATE TABLE link_stats (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    month       TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    created     INTEGER NOT NULL,
    completed   INTEGER NOT NULL,
    declined    INTEGER NOT NULL,
    PRIMARY KEY (resident_id, month)
);
CREATE INDEX link_stats_program ON link_stats (program_id, month);

INSERT INTO link_stats (resident_id, month, program_id, created, completed, declined)
SELECT resident_id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM'), max(program_id), count(*),
       count(*) FILTER (WHERE status = 'completed'), count(*) FILTER (WHERE status = 'declined')
FROM invitations GROUP BY 1, 2;
