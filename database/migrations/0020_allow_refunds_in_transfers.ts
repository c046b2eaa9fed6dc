import { BaseSchema } from '@adonisjs/lucid/schema'

/** A payee's refund of a payment is a transfer of its own kind, linked by reversal_of. */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(kindCheck(['p2p', 'deposit', 'reversal', 'adjustment', 'refund']))
  }

  /** The index's refund rows go with it (ledger-core keeps the money moved). */
  async down() {
    this.schema.raw(`DELETE FROM transfers WHERE kind = 'refund'`)
    this.schema.raw(kindCheck(['p2p', 'deposit', 'reversal', 'adjustment']))
  }
}

/** Replaces the check on transfers.kind, whatever name knex gave it. */
function kindCheck(kinds: string[]) {
  const list = kinds.map((kind) => `'${kind}'`).join(', ')
  return `DO $$
DECLARE name text;
BEGIN
  SELECT conname INTO name FROM pg_constraint
   WHERE conrelid = 'transfers'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%kind%';
  IF name IS NOT NULL THEN EXECUTE format('ALTER TABLE transfers DROP CONSTRAINT %I', name); END IF;
  ALTER TABLE transfers ADD CONSTRAINT transfers_kind_check CHECK (kind IN (${list}));
END $$`
}
