-- A write's idempotency key points at the transfers it made instead of
-- holding a copy of its response: a replay rebuilds the response from those
-- rows, which carry every fact of it. Refusals and account calls keep their
-- stored response, which is small.
ALTER TABLE ledger.idempotency_keys
  ALTER COLUMN response DROP NOT NULL,
  ADD COLUMN transfer_ids uuid[],
  ADD CONSTRAINT idempotency_keys_one_answer CHECK ((response IS NULL) <> (transfer_ids IS NULL));

-- json keeps the caller's metadata as sent (jsonb reorders keys), so a
-- response rebuilt from the row is byte for byte the first one.
ALTER TABLE ledger.transfers ALTER COLUMN metadata DROP DEFAULT;
ALTER TABLE ledger.transfers ALTER COLUMN metadata TYPE json USING metadata::json;
ALTER TABLE ledger.transfers ALTER COLUMN metadata SET DEFAULT '{}'::json;
