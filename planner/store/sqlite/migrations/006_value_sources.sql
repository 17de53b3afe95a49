-- 006: a patient profile version keeps where its values came from when they were read from an
-- EHR's FHIR resources (issue 16, `patient import --fhir`, the CDS Hooks service): a JSON array
-- of {"field", "resource", "date", "note"}; '[]' for a profile typed by hand (every older row).
ALTER TABLE patient_versions ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
