-- 011: tokens that may be used once, until each expires, so that a second use on any
-- `titrate serve` instance on the database is refused: the ids (jti) of the JWTs CDS clients
-- send (scope "cds:" and the issuer; CDS Hooks 2.0 §"Trusting CDS Clients") and the one-time
-- codes of the patient's forms (scope "form": a double tap stores one entry). Only the scope,
-- the id and the expiry (UTC seconds) are kept, never a JWT.
CREATE TABLE used_tokens (
  scope TEXT NOT NULL,
  token_id TEXT NOT NULL,
  expires BIGINT NOT NULL,
  PRIMARY KEY (scope, token_id)
);
CREATE INDEX used_tokens_expires ON used_tokens (expires);
