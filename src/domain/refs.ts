import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.js";

/** The human ref prefixes (SPEC §1). */
export const REF = {
  concern: "C",
  case: "CASE",
  decision: "D",
  task: "T",
  series: "K",
  lesson: "L",
  share: "R",
  plan: "P",
} as const;
export type RefKind = keyof typeof REF;

/**
 * The next number of a kind in a partnership, from a sequence of its own
 * (`rt_next_ref`, see migrations/0001): a sequence never holds a lock until
 * commit, so concurrent commands do not queue behind each other. A command
 * that fails after taking a number leaves a gap; its attempt is in the audit log.
 */
export async function nextRef(db: Db, partnershipId: number, kind: RefKind): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(db, nextRefSql(partnershipId, kind));
  return Number(row!.n);
}

/** The same, as an expression to put straight into an insert and save a round trip. */
export const refExpr = (partnershipId: number, kind: RefKind) => sql<number>`rt_next_ref(${partnershipId}::integer, ${kind}::text)`;

const nextRefSql = (partnershipId: number, kind: RefKind) => sql`select ${refExpr(partnershipId, kind)} as n`;

export const formatRef = (kind: RefKind, n: number) => `${REF[kind]}-${n}`;

/** Case rooms are named by the pseudonymous ref only. */
export const caseRoomName = (n: number) => `case-${String(n).padStart(4, "0")}`;

/** `C-4` → 4 when the prefix matches (case-insensitive); null otherwise. */
export function parseRef(kind: RefKind, s: string): number | null {
  const m = new RegExp(`^${REF[kind]}-(\\d{1,9})$`, "i").exec(s.trim());
  return m ? Number(m[1]) : null;
}
