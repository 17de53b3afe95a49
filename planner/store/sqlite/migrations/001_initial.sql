-- 001: patients (versioned profiles), plans and their versions (normalized stages/steps plus
-- the canonical plan document), reviews, pain scores, adverse effects and the audit log.
-- Times are UTC text "YYYY-MM-DDTHH:MM:SSZ"; score/effect times are the patient's local
-- "YYYY-MM-DDTHH:MM"; dates "YYYY-MM-DD"; doses integer micrograms.

CREATE TABLE patients (
  id         TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);

CREATE TABLE patient_versions (
  patient_id             TEXT    NOT NULL REFERENCES patients(id),
  version                INTEGER NOT NULL CHECK (version >= 1),
  birth_date             TEXT    NOT NULL,
  sex                    TEXT    NOT NULL CHECK (sex IN ('female', 'male')),
  weight_kg              REAL    NOT NULL,
  serum_creatinine_mg_dl REAL,
  crcl_ml_min            REAL,
  hepatic                TEXT    NOT NULL CHECK (hepatic IN ('none', 'mild', 'moderate', 'severe')),
  conditions             TEXT    NOT NULL, -- JSON array of vocabulary terms
  medications            TEXT    NOT NULL, -- JSON array of generic names
  stopped_medications    TEXT    NOT NULL, -- JSON array of {"name", "stopped"}
  baseline_pain          INTEGER CHECK (baseline_pain BETWEEN 0 AND 10),
  recorded_by            TEXT    NOT NULL,
  recorded_at            TEXT    NOT NULL,
  PRIMARY KEY (patient_id, version)
);

CREATE TABLE plans (
  id         INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL UNIQUE REFERENCES patients(id)
);

CREATE TABLE plan_versions (
  id            INTEGER PRIMARY KEY,
  plan_id       INTEGER NOT NULL REFERENCES plans(id),
  version       INTEGER NOT NULL CHECK (version >= 1),
  status        TEXT    NOT NULL
                CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'superseded')),
  pathway       TEXT    NOT NULL,
  start_date    TEXT    NOT NULL,
  decision_date TEXT,             -- of the last trial stage; for due lists
  content       TEXT    NOT NULL, -- the plan document (planner/store/plan_codec.hpp)
  drafted_by    TEXT    NOT NULL,
  drafted_at    TEXT    NOT NULL,
  submitted_by  TEXT,
  submitted_at  TEXT,
  note          TEXT    NOT NULL DEFAULT '',
  UNIQUE (plan_id, version)
);

CREATE TABLE stages (
  id              INTEGER PRIMARY KEY,
  plan_version_id INTEGER NOT NULL REFERENCES plan_versions(id),
  ordinal         INTEGER NOT NULL,
  drug            TEXT    NOT NULL,
  role            TEXT    NOT NULL CHECK (role IN ('trial', 'taper', 'cross-taper')),
  assessed_ug     INTEGER NOT NULL,
  target_reached  TEXT,
  decision_date   TEXT,
  UNIQUE (plan_version_id, ordinal)
);

CREATE TABLE steps (
  stage_id   INTEGER NOT NULL REFERENCES stages(id),
  ordinal    INTEGER NOT NULL,
  begin_date TEXT    NOT NULL,
  end_date   TEXT    NOT NULL, -- first day not included
  daily_ug   INTEGER NOT NULL CHECK (daily_ug >= 0),
  PRIMARY KEY (stage_id, ordinal)
);

CREATE TABLE reviews (
  id              INTEGER PRIMARY KEY,
  plan_version_id INTEGER NOT NULL REFERENCES plan_versions(id),
  pharmacist      TEXT    NOT NULL,
  verdict         TEXT    NOT NULL CHECK (verdict IN ('approved', 'rejected')),
  note            TEXT    NOT NULL DEFAULT '',
  at              TEXT    NOT NULL
);

CREATE TABLE pain_scores (
  id         INTEGER PRIMARY KEY,
  patient_id TEXT    NOT NULL REFERENCES patients(id),
  at         TEXT    NOT NULL,
  score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
  note       TEXT    NOT NULL DEFAULT '',
  entered_by TEXT    NOT NULL,
  entered_at TEXT    NOT NULL,
  supersedes INTEGER REFERENCES pain_scores(id)
);

CREATE TABLE adverse_effects (
  id          INTEGER PRIMARY KEY,
  patient_id  TEXT NOT NULL REFERENCES patients(id),
  at          TEXT NOT NULL,
  description TEXT NOT NULL,
  severity    TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe', 'intolerable')),
  entered_by  TEXT NOT NULL,
  entered_at  TEXT NOT NULL
);

CREATE TABLE audit (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user       TEXT NOT NULL,
  role       TEXT NOT NULL,
  action     TEXT NOT NULL,
  patient_id TEXT, -- no foreign key: the log must never block or lose an entry
  detail     TEXT NOT NULL DEFAULT ''
);

-- Append-only: a correction is a new row, never an UPDATE or DELETE.
CREATE TRIGGER pain_scores_no_update BEFORE UPDATE ON pain_scores
BEGIN SELECT RAISE(ABORT, 'append-only: pain_scores cannot be updated; log a correction that supersedes'); END;
CREATE TRIGGER pain_scores_no_delete BEFORE DELETE ON pain_scores
BEGIN SELECT RAISE(ABORT, 'append-only: pain_scores cannot be deleted; log a correction that supersedes'); END;
CREATE TRIGGER adverse_effects_no_update BEFORE UPDATE ON adverse_effects
BEGIN SELECT RAISE(ABORT, 'append-only: adverse_effects cannot be updated'); END;
CREATE TRIGGER adverse_effects_no_delete BEFORE DELETE ON adverse_effects
BEGIN SELECT RAISE(ABORT, 'append-only: adverse_effects cannot be deleted'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'append-only: audit cannot be updated'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'append-only: audit cannot be deleted'); END;

-- Profiles are versioned: a version, once written, is history.
CREATE TRIGGER patient_versions_no_update BEFORE UPDATE ON patient_versions
BEGIN SELECT RAISE(ABORT, 'append-only: patient_versions cannot be updated; add a new version'); END;
CREATE TRIGGER patient_versions_no_delete BEFORE DELETE ON patient_versions
BEGIN SELECT RAISE(ABORT, 'append-only: patient_versions cannot be deleted'); END;

-- A plan version's content never changes after it leaves draft; status moves only forward.
CREATE TRIGGER plan_versions_immutable
BEFORE UPDATE OF plan_id, version, pathway, start_date, decision_date, content, drafted_by, drafted_at, note
ON plan_versions WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'immutable: a submitted plan version cannot be edited; draft a new version'); END;
CREATE TRIGGER plan_versions_status BEFORE UPDATE OF status ON plan_versions
WHEN NOT ((OLD.status = 'draft' AND NEW.status IN ('draft', 'submitted', 'superseded'))
       OR (OLD.status = 'submitted' AND NEW.status IN ('submitted', 'approved', 'rejected', 'superseded'))
       OR (OLD.status = 'approved' AND NEW.status IN ('approved', 'superseded'))
       OR (OLD.status = NEW.status))
BEGIN SELECT RAISE(ABORT, 'plan version: this status change is not allowed'); END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
BEGIN SELECT RAISE(ABORT, 'append-only: plan_versions cannot be deleted'); END;
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'append-only: reviews cannot be updated'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'append-only: reviews cannot be deleted'); END;
