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

/** Allocate the next number of a kind in a partnership; the row lock makes it safe under concurrency. */
export async function nextRef(db: Db, partnershipId: number, kind: RefKind): Promise<number> {
  const [row] = await rowsOf<{ last: number }>(
    db,
    sql`insert into ref_counters (partnership_id, kind, last) values (${partnershipId}, ${kind}, 1)
        on conflict (partnership_id, kind) do update set last = ref_counters.last + 1
        returning last`,
  );
  return Number(row!.last);
}

export const formatRef = (kind: RefKind, n: number) => `${REF[kind]}-${n}`;

/** Case rooms are named by the pseudonymous ref only. */
export const caseRoomName = (n: number) => `case-${String(n).padStart(4, "0")}`;

/** `C-4` → 4 when the prefix matches (case-insensitive); null otherwise. */
export function parseRef(kind: RefKind, s: string): number | null {
  const m = new RegExp(`^${REF[kind]}-(\\d{1,9})$`, "i").exec(s.trim());
  return m ? Number(m[1]) : null;
}
