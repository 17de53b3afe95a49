-- 003 (PostgreSQL; same as planner/store/sqlite/migrations/003): web state for `titrate serve`
-- (planner/store/accounts.hpp): staff users with an Argon2id hash and their lockout, patient
-- links (only the token's hash is kept) and sessions (only the id's hash). Times are UTC seconds
-- since the epoch (bigint).

CREATE TABLE users (
  name          text    PRIMARY KEY,
  role          text    NOT NULL CHECK (role IN ('clinician', 'pharmacist')),
  password_hash text    NOT NULL,
  failed_logins integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
  locked_until  bigint  NOT NULL DEFAULT 0,
  created       bigint  NOT NULL
);

CREATE TABLE patient_links (
  token_hash text    PRIMARY KEY,
  patient_id text COLLATE "C" NOT NULL REFERENCES patients(id),
  created    bigint  NOT NULL,
  revoked    bigint
);
CREATE INDEX patient_links_patient ON patient_links (patient_id);

CREATE TABLE sessions (
  id_hash   text    PRIMARY KEY,
  user_name text    NOT NULL REFERENCES users(name),
  csrf      text    NOT NULL,
  expires   bigint  NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires);
