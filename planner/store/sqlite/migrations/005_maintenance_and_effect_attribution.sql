-- 005: a plan's trial may end in maintenance, and a maintenance review may "reduce" the dose
-- (decisions.decision gains 'reduce'); an adverse effect is stored with the drugs being taken at
-- its time and can be corrected or retracted, append-only, as scores are.
--   drugs      JSON array of drug names (Plan::drugs_taken_at of the active plan when logged);
--              NULL: logged with no plan to read, or before this migration (attributed on read)
--   supersedes the entry this one corrects or retracts (same patient)
--   retracted  1: this entry withdraws `supersedes`; its description is the reason
ALTER TABLE adverse_effects ADD COLUMN drugs TEXT;
ALTER TABLE adverse_effects ADD COLUMN supersedes INTEGER REFERENCES adverse_effects(id);
ALTER TABLE adverse_effects ADD COLUMN retracted INTEGER NOT NULL DEFAULT 0
  CHECK (retracted IN (0, 1));
CREATE INDEX adverse_effects_supersedes ON adverse_effects (supersedes)
  WHERE supersedes IS NOT NULL;

-- SQLite cannot alter a CHECK constraint: the decisions table is rebuilt with the same columns,
-- rows, triggers and index (nothing references it, so the foreign keys are untouched).
CREATE TABLE decisions_005 (
  id              INTEGER PRIMARY KEY,
  patient_id      TEXT    NOT NULL REFERENCES patients(id),
  plan_version_id INTEGER REFERENCES plan_versions(id),
  date            TEXT    NOT NULL,
  drug            TEXT    NOT NULL,
  decision        TEXT    NOT NULL
                  CHECK (decision IN ('continue', 'escalate', 'switch', 'extend', 'stop', 'review',
                                      'reduce')),
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
INSERT INTO decisions_005 SELECT * FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_005 RENAME TO decisions;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'append-only: decisions cannot be updated'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'append-only: decisions cannot be deleted'); END;
CREATE INDEX decisions_patient ON decisions (patient_id, date);
