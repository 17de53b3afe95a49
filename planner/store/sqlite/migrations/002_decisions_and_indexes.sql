-- 002: recorded decisions (assessments a clinician applied), and the indexes behind due lists,
-- score windows and per-patient audit.

CREATE TABLE decisions (
  id              INTEGER PRIMARY KEY,
  patient_id      TEXT    NOT NULL REFERENCES patients(id),
  plan_version_id INTEGER REFERENCES plan_versions(id),
  date            TEXT    NOT NULL,
  drug            TEXT    NOT NULL,
  decision        TEXT    NOT NULL
                  CHECK (decision IN ('continue', 'escalate', 'switch', 'extend', 'stop', 'review')),
  baseline        REAL,
  window_start    TEXT    NOT NULL,
  window_end      TEXT    NOT NULL,
  window_mean     REAL,
  window_scores   INTEGER NOT NULL,
  change_pct      REAL,
  days_at_target  INTEGER NOT NULL,
  rule            TEXT    NOT NULL,
  source          TEXT    NOT NULL,
  reasons         TEXT    NOT NULL, -- JSON array of strings
  next_dose_ug    INTEGER,
  next_drug       TEXT,
  next_decision_date TEXT,
  substantial     INTEGER NOT NULL DEFAULT 0 CHECK (substantial IN (0, 1)),
  recorded_by     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL
);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'append-only: decisions cannot be updated'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'append-only: decisions cannot be deleted'); END;

CREATE INDEX pain_scores_patient_at ON pain_scores (patient_id, at);
CREATE INDEX adverse_effects_patient_at ON adverse_effects (patient_id, at);
CREATE INDEX plan_versions_due ON plan_versions (status, decision_date);
CREATE INDEX audit_patient ON audit (patient_id, id);
CREATE INDEX decisions_patient ON decisions (patient_id, date);
