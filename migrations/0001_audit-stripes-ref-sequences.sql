-- Refs come from one sequence per (partnership, kind), created on first use by rt_next_ref:
-- a sequence hands out numbers without holding a row lock until commit. Written by hand
-- (drizzle-kit does not model functions); existing counters carry on where they stopped.
CREATE OR REPLACE FUNCTION rt_next_ref(p_partnership integer, p_kind text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  seq_name text := format('ref_seq_%s_%s', p_partnership, p_kind);
BEGIN
  IF to_regclass(seq_name) IS NULL THEN
    -- A concurrent first caller waits here for ours to commit, then finds the sequence.
    PERFORM pg_advisory_xact_lock(hashtext(seq_name));
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS integer', seq_name);
  END IF;
  RETURN nextval(seq_name::regclass);
END
$$;--> statement-breakpoint
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT partnership_id, kind, last FROM ref_counters LOOP
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS integer START WITH %s', format('ref_seq_%s_%s', r.partnership_id, r.kind), r.last + 1);
  END LOOP;
END
$$;--> statement-breakpoint
ALTER TABLE "ref_counters" DISABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP TABLE "ref_counters" CASCADE;--> statement-breakpoint
DROP INDEX "audit_events_chain_seq_uq";--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "stripe" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_heads" ADD COLUMN "stripe" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_heads" DROP CONSTRAINT "audit_heads_pkey";--> statement-breakpoint
ALTER TABLE "audit_heads" ADD CONSTRAINT "audit_heads_chain_stripe_pk" PRIMARY KEY("chain","stripe");--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_chain_stripe_seq_uq" ON "audit_events" USING btree ("chain","stripe","seq");--> statement-breakpoint
-- Append one audit event: link it to the head of the first stripe of its chain that no other
-- transaction holds (creating the chain's stripes on first use; waiting on one at random if all
-- are held), in one call, so a command's transaction can send it together with its COMMIT. The
-- hash is sha256(prev hash, newline, body): the body is the caller's canonical JSON prefix (every
-- key but seq and stripe, which sort last) completed here. src/audit/audit.ts recomputes it.
CREATE OR REPLACE FUNCTION rt_audit_append(
  p_chain integer, p_prefix text, p_at timestamptz, p_actor text, p_action text, p_object text,
  p_outcome text, p_detail jsonb, p_stripes integer,
  OUT o_stripe integer, OUT o_seq bigint, OUT o_hash text
) LANGUAGE plpgsql AS $$
DECLARE
  head record;
BEGIN
  SELECT ah.stripe, ah.seq, ah.hash INTO head FROM audit_heads ah
    WHERE ah.chain = p_chain ORDER BY ah.stripe LIMIT 1 FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    INSERT INTO audit_heads (chain, stripe, seq, hash)
      SELECT p_chain, s, 0, repeat('0', 64) FROM generate_series(0, p_stripes - 1) AS s
      ON CONFLICT DO NOTHING;
    SELECT ah.stripe, ah.seq, ah.hash INTO head FROM audit_heads ah
      WHERE ah.chain = p_chain ORDER BY ah.stripe LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
      SELECT ah.stripe, ah.seq, ah.hash INTO head FROM audit_heads ah
        WHERE ah.chain = p_chain AND ah.stripe = floor(random() * p_stripes)::integer FOR UPDATE;
    END IF;
  END IF;
  o_stripe := head.stripe;
  o_seq := head.seq + 1;
  o_hash := encode(sha256(convert_to(head.hash || chr(10) || p_prefix || o_seq::text
    || CASE WHEN o_stripe = 0 THEN '}' ELSE ',"stripe":' || o_stripe::text || '}' END, 'UTF8')), 'hex');
  INSERT INTO audit_events (chain, stripe, seq, at, actor, action, object, outcome, detail, prev_hash, hash)
    VALUES (p_chain, o_stripe, o_seq, p_at, p_actor, p_action, p_object, p_outcome, p_detail, head.hash, o_hash);
  UPDATE audit_heads SET seq = o_seq, hash = o_hash WHERE chain = p_chain AND stripe = o_stripe;
END
$$;
