/**
 * Who may do what: the one authorisation policy. Every command names one
 * permission; the table below says which relations of the actor grant it.
 *
 * On top of the table, one rule: when a case is in scope, the actor must be able
 * to see that case (its coordinator or an active participant), whatever the
 * permission — a case ref is never a way into someone else's case.
 */

export type Relation =
  /** Chairs the partnership. */
  | "coordinator"
  /** Holds a role in one of the partnership's agencies (a member of the directory). */
  | "member"
  /** A core participant of the case in scope. */
  | "case-core"
  /** An ad-hoc participant of the case in scope whose time has not run out. */
  | "case-ad-hoc"
  /** Not in the directory. */
  | "non-member";

export type Permission = "anyone" | "member" | "coordinator" | "case-core" | "case-participant";

export const POLICY: Record<Permission, readonly Relation[]> = {
  anyone: ["coordinator", "member", "case-core", "case-ad-hoc", "non-member"],
  member: ["coordinator", "member"],
  coordinator: ["coordinator"],
  "case-core": ["coordinator", "case-core"],
  "case-participant": ["coordinator", "case-core", "case-ad-hoc"],
};

export interface Standing {
  relations: ReadonlySet<Relation>;
  /** Whether a case is in scope for this command. */
  caseInScope: boolean;
}

export type Decision = { allowed: true } | { allowed: false; reason: "not-a-member" | "not-permitted" | "not-in-case" };

export function authorise(permission: Permission, s: Standing): Decision {
  const r = s.relations;
  if (s.caseInScope && !(r.has("coordinator") || r.has("case-core") || r.has("case-ad-hoc"))) {
    return { allowed: false, reason: r.has("non-member") ? "not-a-member" : "not-in-case" };
  }
  if (POLICY[permission].some((x) => r.has(x))) return { allowed: true };
  return { allowed: false, reason: r.has("non-member") ? "not-a-member" : "not-permitted" };
}
