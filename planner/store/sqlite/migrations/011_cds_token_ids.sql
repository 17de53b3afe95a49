-- 011: the ids (jti) of the JWTs CDS clients have used, until each token expires, so that a token
-- replayed to any `titrate serve` instance on the database is refused (CDS Hooks 2.0 §"Trusting
-- CDS Clients"). Only the issuer, the id and the expiry (UTC seconds) are kept, never the token.
CREATE TABLE cds_token_ids (
  issuer TEXT NOT NULL,
  token_id TEXT NOT NULL,
  expires INTEGER NOT NULL,
  PRIMARY KEY (issuer, token_id)
);
CREATE INDEX cds_token_ids_expires ON cds_token_ids (expires);
