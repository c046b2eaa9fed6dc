-- No query looks an entry up by its id alone: statements page by
-- (account_id, id) and a transfer's entries come by (transfer_id,
-- direction), both indexed. Dropping the primary key's index saves one index
-- insertion per entry, two per transfer. ids stay unique by construction
-- (bigserial), like transfers.seq; entries are append-only.
ALTER TABLE ledger.entries DROP CONSTRAINT entries_pkey;
ALTER TABLE ledger.entries ALTER COLUMN id SET NOT NULL;
