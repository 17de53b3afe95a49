-- 003: web state for `titrate serve` (planner/store/accounts.hpp): staff users with an Argon2id
-- hash and their lockout, patient links (only the token's hash is kept) and sessions (only the
-- id's hash). Times are UTC seconds since the epoch.

CREATE TABLE users (
  name          TEXT    PRIMARY KEY,
  role          TEXT    NOT NULL CHECK (role IN ('clinician', 'pharmacist')),
  password_hash TEXT    NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until  INTEGER NOT NULL DEFAULT 0,
  created       INTEGER NOT NULL
);

CREATE TABLE patient_links (
  token_hash TEXT    PRIMARY KEY,
  patient_id TEXT    NOT NULL REFERENCES patients(id),
  created    INTEGER NOT NULL,
  revoked    INTEGER
);
CREATE INDEX patient_links_patient ON patient_links (patient_id);

CREATE TABLE sessions (
  id_hash   TEXT    PRIMARY KEY,
  user_name TEXT    NOT NULL REFERENCES users(name),
  csrf      TEXT    NOT NULL,
  expires   INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires);
