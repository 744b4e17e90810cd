-- Mentee-level sums for the statistics of reports (issue 11). See
-- docs/privacy.md ("Mentee-level sums") and docs/reports.md §2.

-- The claim writes the same marker hash it writes to window_mentees into the
-- held row (NULL for a link without a rostered mentee), so the mixer can add
-- the response's scores to its mentee's running sums. A held row is joinable
-- to its link until the mix anyway; the hash goes with the row.
ALTER TABLE held_responses ADD COLUMN mentee_hash TEXT;

-- One row per mentee of a resident's open group and window: that mentee's
-- count, sum and sum of squares of response scores per attribute, sealed
-- (AES-GCM under a server key, bound to the row). Written only by the mixer,
-- never by the claim; deleted at release with the window_mentees markers.
CREATE TABLE window_moments (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    window_id   TEXT NOT NULL,
    mentee_hash TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    sums        TEXT NOT NULL,
    PRIMARY KEY (resident_id, window_id, mentee_hash)
);

-- One row per released group and attribute: sums over its responses, how
-- many mentees and clusters they came from, and Kish's effective number of
-- clusters (surveys.Moments). No sum over mentees: with how often each
-- mentee answered, it would give away a mentee's mean (docs/privacy.md).
-- window_id is the release window, as in report_released.
CREATE TABLE report_release_moments (
    release_id       BIGINT NOT NULL REFERENCES report_releases (id),
    resident_id      BIGINT NOT NULL REFERENCES users (id),
    program_id       BIGINT NOT NULL REFERENCES programs (id),
    window_id        TEXT NOT NULL,
    attribute        TEXT NOT NULL,
    responses        BIGINT NOT NULL,
    sum              DOUBLE PRECISION NOT NULL,
    sum_sq           DOUBLE PRECISION NOT NULL,
    mentees          BIGINT NOT NULL,
    clusters         BIGINT NOT NULL,
    effective_clusters BIGINT NOT NULL,
    PRIMARY KEY (release_id, attribute)
);
CREATE INDEX report_release_moments_program ON report_release_moments (program_id, window_id);
CREATE INDEX report_release_moments_resident ON report_release_moments (resident_id, window_id);

-- The program's variance-component sums per attribute (surveys.ComponentSums),
-- added to by every release, sealed like window_moments.sums: the only place
-- a group's mentee structure goes, summed over the program's groups.
CREATE TABLE program_components (
    program_id BIGINT NOT NULL REFERENCES programs (id),
    attribute  TEXT NOT NULL,
    sums       TEXT NOT NULL,
    PRIMARY KEY (program_id, attribute)
);
