-- 009: a patient profile version records what the patient is treated for: a term of
-- formulary/vocabulary.toml [indications] (e.g. chemotherapy-induced-neuropathy), NULL when not
-- recorded (every older row).
ALTER TABLE patient_versions ADD COLUMN indication TEXT;
