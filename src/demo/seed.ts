import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { agencies, coordinators, members, partnerships, roleAssignments, roles, rooms } from "../db/schema.js";
import type { Sector } from "../db/enums.js";
import type { Platform } from "../ports/rooms.js";

/**
 * The demo partnership that `npm start` opens on the console: made-up people
 * across sectors, clearly labelled, so every command can be tried at once.
 */
export const DEMO_SLUG = "demo";

interface DemoPerson {
  handle: string;
  name: string;
  agency: string;
  role?: { title: string; spoc: boolean };
}

const AGENCIES: Array<{ name: string; sector: Sector; goals: string; responsibilities: string }> = [
  { name: "Northfield Council", sector: "local-authority", goals: "Chair the partnership and keep it running.", responsibilities: "Coordination, triage of concerns, minutes." },
  { name: "Northfield Police", sector: "police", goals: "Assess and reduce risk of harm.", responsibilities: "Risk assessment, Prevent referrals, information on offending." },
  { name: "Northfield Academy", sector: "education", goals: "Keep pupils safe and in education.", responsibilities: "Attendance, pastoral support, safeguarding in school." },
  { name: "Northfield Health", sector: "health", goals: "Physical and mental health needs met.", responsibilities: "GP and school-nurse liaison, referrals to CAMHS." },
  { name: "Children's Social Care", sector: "social-care", goals: "Family support and statutory safeguarding.", responsibilities: "Assessments, child-in-need plans." },
  { name: "Northfield Youth Service", sector: "youth-work", goals: "Positive activities and trusted adults.", responsibilities: "Mentoring, detached youth work." },
  { name: "Northfield Homes", sector: "housing", goals: "Stable housing.", responsibilities: "Tenancy support." },
];

const PEOPLE: DemoPerson[] = [
  { handle: "coordinator", name: "Chris Coordinator (demo)", agency: "Northfield Council", role: { title: "Partnership coordinator", spoc: false } },
  { handle: "officer", name: "Olu Officer (demo)", agency: "Northfield Police", role: { title: "Prevent lead", spoc: true } },
  { handle: "teacher", name: "Tess Teacher (demo)", agency: "Northfield Academy", role: { title: "Designated safeguarding lead", spoc: true } },
  { handle: "nurse", name: "Nia Nurse (demo)", agency: "Northfield Health", role: { title: "Safeguarding nurse", spoc: true } },
  { handle: "social", name: "Sam Social (demo)", agency: "Children's Social Care", role: { title: "Social worker", spoc: true } },
  { handle: "youth", name: "Yan Youth (demo)", agency: "Northfield Youth Service", role: { title: "Youth worker", spoc: false } },
];

/** The demo's rooms on the console: the partnership's room and the coordinators' triage room. */
export const DEMO_ROOMS = { partnership: "partnership", triage: "triage" } as const;

export interface DemoPartnership {
  partnershipId: number;
  handles: string[];
}

/**
 * Create the demo partnership once; later calls return it unchanged.
 * `userIdFor` maps a demo handle to the platform's user id (tests of the Slack
 * and Matrix adapters seed `T1:U_OFFICER` or `@officer:example.org`); the
 * console uses the handles themselves. `rooms` overrides the room ids.
 */
export async function seedDemo(
  db: Db,
  platform: Platform = "console",
  opts: { userIdFor?: (handle: string) => string; rooms?: { partnership: string; triage: string } } = {},
): Promise<DemoPartnership> {
  const userIdFor = opts.userIdFor ?? ((h: string) => h);
  const roomIds = opts.rooms ?? DEMO_ROOMS;
  const handles = PEOPLE.map((p) => p.handle);
  const [existing] = await db.select().from(partnerships).where(eq(partnerships.slug, DEMO_SLUG));
  if (existing) return { partnershipId: existing.id, handles };
  return db.transaction(async (tx) => {
    const [p] = await tx
      .insert(partnerships)
      .values({
        slug: DEMO_SLUG,
        name: "Northfield Prevent Partnership (DEMO)",
        level: "local",
        timeZone: "Europe/London",
        locale: "en",
        demo: true,
        termsOfReference:
          "DEMO. We meet monthly to support people at risk of radicalisation. Each agency names a single point of contact; " +
          "the coordinator triages concerns within two working days; decisions are recorded with their legal basis.",
      })
      .returning();
    const agencyIds = new Map<string, number>();
    for (const a of AGENCIES) {
      const [row] = await tx.insert(agencies).values({ partnershipId: p!.id, ...a, tasks: a.responsibilities }).returning();
      agencyIds.set(a.name, row!.id);
    }
    await tx.insert(roles).values({ agencyId: agencyIds.get("Northfield Homes")!, title: "Tenancy support officer", spoc: true });
    for (const person of PEOPLE) {
      const [m] = await tx
        .insert(members)
        .values({ partnershipId: p!.id, platform, platformUserId: userIdFor(person.handle), displayName: person.name, agencyId: agencyIds.get(person.agency)! })
        .returning();
      if (person.role) {
        const [r] = await tx.insert(roles).values({ agencyId: agencyIds.get(person.agency)!, ...person.role }).returning();
        await tx.insert(roleAssignments).values({ roleId: r!.id, memberId: m!.id });
      }
      if (person.handle === "coordinator") await tx.insert(coordinators).values({ partnershipId: p!.id, memberId: m!.id });
    }
    await tx.insert(rooms).values([
      { partnershipId: p!.id, purpose: "partnership", platform, platformRoomId: roomIds.partnership },
      { partnershipId: p!.id, purpose: "triage", platform, platformRoomId: roomIds.triage },
    ]);
    return { partnershipId: p!.id, handles };
  });
}
