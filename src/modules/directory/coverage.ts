import type { Db } from "../../db/client.js";
import type { Sector } from "../../db/enums.js";
import { SECTORS } from "../../db/enums.js";
import type { AgencyRow, RoleRow } from "../../domain/rows.js";
import { agenciesOf, rolesOf } from "./directory.js";
import { currentHolders } from "./directory-admin.js";

/**
 * Sectors every partnership should have at the table. The Radicalisation
 * Awareness Network's lessons on multi-agency work: no single organisation can
 * prevent radicalisation alone, so a partnership needs a wide range of sectors —
 * law enforcement, the local authority, schools, physical and mental health,
 * social care, youth work, the community, support for families, and probation
 * for those leaving the justice system. The others in SECTORS are welcome, but
 * their absence is not flagged.
 */
export const RECOMMENDED_SECTORS: readonly Sector[] = [
  "police",
  "local-authority",
  "education",
  "health",
  "mental-health",
  "social-care",
  "youth-work",
  "community",
  "family-support",
  "probation",
];

/** What `/partner coverage` reports. */
export interface Coverage {
  /** Sectors with at least one agency, in the order of SECTORS. */
  present: Sector[];
  /** Recommended sectors with no agency. */
  missing: Sector[];
  /** Agencies where nobody holds any role (including agencies with no roles). */
  unheldAgencies: AgencyRow[];
  /** Roles nobody holds now. */
  vacantRoles: Array<{ role: RoleRow; agency: AgencyRow }>;
}

export async function coverageOf(db: Db, partnershipId: number): Promise<Coverage> {
  const agencies = await agenciesOf(db, partnershipId);
  const roles = await rolesOf(db, partnershipId);
  const holders = await currentHolders(db, partnershipId);
  const sectors = new Set(agencies.map((a) => a.sector));
  const held = new Set(roles.filter((r) => holders.has(r.role.id)).map((r) => r.agency.id));
  return {
    present: SECTORS.filter((s) => sectors.has(s)),
    missing: RECOMMENDED_SECTORS.filter((s) => !sectors.has(s)),
    unheldAgencies: agencies.filter((a) => !held.has(a.id)),
    vacantRoles: roles.filter((r) => !holders.has(r.role.id)),
  };
}
