-- 006 (PostgreSQL; same as planner/store/sqlite/migrations/006): patient_versions.sources, the
-- provenance of values read from FHIR (issue 16): a JSON array of {"field", "resource", "date",
-- "note"}; '[]' for a profile typed by hand (every older row).
ALTER TABLE patient_versions ADD COLUMN sources text NOT NULL DEFAULT '[]';
