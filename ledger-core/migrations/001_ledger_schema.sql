-- ledger-core owns the `ledger` schema. The app never reads or writes it.
-- The schema itself is created by the migrator before this runs.

CREATE TABLE ledger.accounts (
  id              uuid PRIMARY KEY,
  owner_ref       text        NOT NULL CHECK (length(owner_ref) BETWEEN 1 AND 128),
  currency        char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  kind            text        NOT NULL CHECK (kind IN ('user', 'system')),
  status          text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
  balance         bigint      NOT NULL DEFAULT 0,
  pending_debits  bigint      NOT NULL DEFAULT 0 CHECK (pending_debits >= 0),
  allow_negative  boolean     NOT NULL DEFAULT false,
  version         bigint      NOT NULL DEFAULT 0,
  metadata        jsonb       NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  seq             bigserial   NOT NULL UNIQUE,
  UNIQUE (owner_ref, currency),
  -- Only system accounts may go below zero; the database refuses anything else
  -- even if the application had a bug.
  CONSTRAINT negative_only_for_system CHECK (NOT allow_negative OR kind = 'system'),
  CONSTRAINT available_not_negative CHECK (allow_negative OR balance - pending_debits >= 0)
);

-- No foreign keys on the hot path: transfers and entries are written only by
-- the writer, in the statement that updates (and so locks) the accounts they
-- name, and accounts and transfers are never deleted. The checks would cost a
-- fifth of each batch and could never fail; the invariants report verifies
-- the same facts (every entry's transfer and account exist).
CREATE TABLE ledger.transfers (
  id                 uuid PRIMARY KEY,
  -- Orders transfers for listing; bigserial is unique by construction.
  seq                bigserial   NOT NULL,
  debit_account_id   uuid        NOT NULL,
  credit_account_id  uuid        NOT NULL,
  currency           char(3)     NOT NULL,
  amount             bigint      NOT NULL CHECK (amount > 0),
  posted_amount      bigint      CHECK (posted_amount > 0 AND posted_amount <= amount),
  reversed_amount    bigint      NOT NULL DEFAULT 0 CHECK (reversed_amount >= 0),
  status             text        NOT NULL CHECK (status IN ('posted', 'pending', 'voided', 'expired')),
  description        text        CHECK (length(description) <= 280),
  metadata           jsonb       NOT NULL DEFAULT '{}',
  reversal_of        uuid,
  idempotency_key    text,
  expires_at         timestamptz,
  created_at         timestamptz NOT NULL,
  posted_at          timestamptz,
  updated_at         timestamptz NOT NULL,
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((status = 'posted') = (posted_amount IS NOT NULL)),
  CHECK (reversed_amount <= coalesce(posted_amount, 0))
);
CREATE INDEX transfers_debit_seq ON ledger.transfers (debit_account_id, seq);
CREATE INDEX transfers_credit_seq ON ledger.transfers (credit_account_id, seq);
CREATE INDEX transfers_pending_expiry ON ledger.transfers (expires_at) WHERE status = 'pending' AND expires_at IS NOT NULL;
CREATE INDEX transfers_reversal_of ON ledger.transfers (reversal_of) WHERE reversal_of IS NOT NULL;

CREATE TABLE ledger.entries (
  id               bigserial PRIMARY KEY,
  transfer_id      uuid        NOT NULL,
  account_id       uuid        NOT NULL,
  direction        text        NOT NULL CHECK (direction IN ('debit', 'credit')),
  amount           bigint      NOT NULL CHECK (amount > 0),
  balance_after    bigint      NOT NULL,
  account_version  bigint      NOT NULL,
  created_at       timestamptz NOT NULL,
  UNIQUE (transfer_id, direction)
);
CREATE INDEX entries_account_id ON ledger.entries (account_id, id);

-- Entries are the books: they are written once and never changed or removed.
CREATE FUNCTION ledger.refuse_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON ledger.entries
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_entry_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON ledger.entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_entry_change();

-- A transfer's money facts never change once written; only its lifecycle does.
CREATE FUNCTION ledger.refuse_transfer_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.debit_account_id <> OLD.debit_account_id
     OR NEW.credit_account_id <> OLD.credit_account_id OR NEW.amount <> OLD.amount
     OR NEW.currency <> OLD.currency OR NEW.created_at <> OLD.created_at
     OR (OLD.status <> 'pending' AND NEW.status <> OLD.status)
     OR (OLD.posted_amount IS NOT NULL AND NEW.posted_amount IS DISTINCT FROM OLD.posted_amount) THEN
    RAISE EXCEPTION 'ledger transfer % may only change its lifecycle', OLD.id USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER transfers_immutable BEFORE UPDATE ON ledger.transfers
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_transfer_rewrite();
CREATE TRIGGER transfers_no_delete BEFORE DELETE OR TRUNCATE ON ledger.transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_entry_change();

-- The writer's batch statement calls this last: when a row it changes was
-- changed by someone else since the batch read it, the whole statement fails
-- and writes nothing, and the writer runs the batch again under locks.
CREATE FUNCTION ledger.require_unchanged(as_read boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF NOT as_read THEN
    RAISE EXCEPTION 'a row changed since the batch read it' USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN true;
END $$;

-- The first response to every idempotency key, stored in the same database
-- transaction as its effect, so a crash never keeps one without the other.
CREATE TABLE ledger.idempotency_keys (
  key           text        PRIMARY KEY,
  request_hash  text        NOT NULL,
  status_code   smallint    NOT NULL,
  -- json, not jsonb: a replay returns the first response byte for byte.
  response      json        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- BRIN: keys arrive in time order, and the purge only needs rough ranges.
CREATE INDEX idempotency_keys_created_at ON ledger.idempotency_keys USING brin (created_at);
