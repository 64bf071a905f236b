-- bevaka snapshot schema — the public contract between the unit's export and bevaka.
--
-- One SQLite file, written once by a producer (the nightly export or `bevaka snapshot
-- build`), published by rename, and opened read-only by every reader. Table and column
-- names are those of DOMAIN.md so that producers and other tools can query them directly.
--
-- Conventions
--   * Dates are TEXT in ISO form `YYYY-MM-DD`; NULL where the event has not happened.
--   * Identifiers are TEXT (case references as the case system writes them).
--   * Numbers are REAL (decimal comma is the importer's business, not the file's).
--
-- Identification: PRAGMA application_id = 0x42564B41 ('BVKA') and PRAGMA user_version = the
-- schema version below. A reader refuses any other application_id or an unknown version.
--
-- Version 2 (this file) adds cases.sex, case_workers.login, interventions.offered and
-- interventions.delay_reason (each the last column of its table) and the table
-- interruptions. Version 1 files stay readable: their missing columns read as NULL and
-- their missing table as empty.

PRAGMA application_id = 1112951617;
PRAGMA user_version = 2;

CREATE TABLE units (
    unit_id   TEXT PRIMARY KEY NOT NULL,
    name      TEXT NOT NULL,
    district  TEXT,
    area      TEXT
) STRICT;

CREATE TABLE case_workers (
    worker_id TEXT PRIMARY KEY NOT NULL,
    name      TEXT NOT NULL,
    unit_id   TEXT NOT NULL REFERENCES units (unit_id),
    team      TEXT,
    login     TEXT    -- v2: the OS user name on the jump host
) STRICT;

CREATE TABLE insats_types (
    insats_code TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    area        TEXT NOT NULL,
    law         TEXT,
    target_days INTEGER CHECK (target_days IS NULL OR target_days >= 0)
) STRICT;

CREATE TABLE cases (
    case_id      TEXT PRIMARY KEY NOT NULL,
    unit_id      TEXT NOT NULL REFERENCES units (unit_id),
    team         TEXT,
    worker_id    TEXT REFERENCES case_workers (worker_id),
    client_label TEXT,
    opened       TEXT NOT NULL,
    closed       TEXT,
    sex          TEXT CHECK (sex IN ('K', 'M')),   -- v2: K kvinna, M man, NULL not known
    CHECK (closed IS NULL OR closed >= opened)
) STRICT;

CREATE TABLE applications (
    application_id        TEXT PRIMARY KEY NOT NULL,
    case_id               TEXT NOT NULL REFERENCES cases (case_id),
    insats_code           TEXT NOT NULL REFERENCES insats_types (insats_code),
    received              TEXT NOT NULL,
    investigation_started TEXT,
    decided               TEXT,
    outcome               TEXT CHECK (outcome IN ('beviljad', 'avslag', 'delvis', 'aterkallad')),
    worker_id             TEXT REFERENCES case_workers (worker_id)
) STRICT;

CREATE TABLE interventions (
    intervention_id TEXT PRIMARY KEY NOT NULL,
    case_id         TEXT NOT NULL REFERENCES cases (case_id),
    application_id  TEXT REFERENCES applications (application_id),
    insats_code     TEXT NOT NULL REFERENCES insats_types (insats_code),
    decided         TEXT,
    start           TEXT,   -- NULL while the decision is not yet verkställt
    end             TEXT,   -- NULL for a decision without time limit
    provider        TEXT,
    ordered         TEXT,   -- beställning sent to the provider
    plan_received   TEXT,   -- genomförandeplan received
    last_followup   TEXT,
    offered         TEXT,   -- v2: verkställighet last offered to the person
    delay_reason    TEXT    -- v2: why it is not verkställd
) STRICT;

-- v2: avbrott i verkställigheten (SoL 16 kap. 6 f §, LSS 28 f-g §§).
CREATE TABLE interruptions (
    interruption_id TEXT PRIMARY KEY NOT NULL,
    intervention_id TEXT NOT NULL REFERENCES interventions (intervention_id),
    interrupted     TEXT NOT NULL,   -- verkställigheten stopped
    resumed         TEXT,            -- started again; NULL while interrupted
    reason          TEXT,
    CHECK (resumed IS NULL OR resumed >= interrupted)
) STRICT;

CREATE TABLE followups (
    followup_id TEXT PRIMARY KEY NOT NULL,
    case_id     TEXT NOT NULL REFERENCES cases (case_id),
    kind        TEXT NOT NULL,
    due         TEXT NOT NULL,
    done        TEXT,
    worker_id   TEXT REFERENCES case_workers (worker_id),
    note        TEXT
) STRICT;

CREATE TABLE goals (
    goal_id    TEXT PRIMARY KEY NOT NULL,
    parent_id  TEXT REFERENCES goals (goal_id),
    unit_id    TEXT REFERENCES units (unit_id),
    level      TEXT NOT NULL
               CHECK (level IN ('inriktningsmal', 'verksamhetsmal', 'namndmal', 'atagande', 'aktivitet')),
    code       TEXT,
    title      TEXT NOT NULL,
    assessment TEXT CHECK (assessment IN ('helt', 'delvis', 'ej')),
    start      TEXT,
    end        TEXT,
    comment    TEXT
) STRICT;

CREATE TABLE indicators (
    indicator_id     TEXT PRIMARY KEY NOT NULL,
    goal_id          TEXT REFERENCES goals (goal_id),
    unit_id          TEXT REFERENCES units (unit_id),
    name             TEXT NOT NULL,
    year             INTEGER NOT NULL,
    measure          TEXT,
    direction        TEXT NOT NULL CHECK (direction IN ('higher', 'lower')),
    periodicity      TEXT,
    target           REAL,
    target_text      TEXT,
    city_target      REAL,
    city_target_text TEXT,
    tolerance        REAL CHECK (tolerance IS NULL OR tolerance >= 0)
) STRICT;

CREATE TABLE indicator_values (
    indicator_id TEXT NOT NULL REFERENCES indicators (indicator_id),
    period       TEXT NOT NULL,
    value        REAL NOT NULL,
    comment      TEXT,
    PRIMARY KEY (indicator_id, period)
) STRICT;

-- Indexes for the views. Caseload counts active interventions per insats on a date (in
-- one pass over this covering index, in insats and case order); the bevakningslista walks
-- open items per case; the quarterly review groups decisions.
CREATE INDEX interventions_by_insats ON interventions (insats_code, case_id, start, end);
CREATE INDEX interventions_by_case ON interventions (case_id);
CREATE INDEX applications_by_case ON applications (case_id);
CREATE INDEX applications_by_decided ON applications (decided, insats_code);
CREATE INDEX cases_by_worker ON cases (worker_id, opened, closed);
CREATE INDEX cases_by_unit ON cases (unit_id, team);
CREATE INDEX followups_by_case ON followups (case_id, done, due);
CREATE INDEX goals_by_parent ON goals (parent_id);
CREATE INDEX indicators_by_goal ON indicators (goal_id, year);
-- Ej verkställda beslut are the interventions not started on a day (start NULL or later):
-- few of many (one in 300 in the city demo), and no other index leads with start.
CREATE INDEX interventions_by_start ON interventions (start);
-- The IVO report walks the interruptions of the interventions it reads.
CREATE INDEX interruptions_by_intervention ON interruptions (intervention_id);
-- A handläggare's own bevakningslista finds their cases through these (with
-- cases_by_worker): the cases where they own an undecided application or a bevakning.
CREATE INDEX applications_by_worker ON applications (worker_id, case_id);
CREATE INDEX followups_by_worker ON followups (worker_id, case_id);
