import type { PGlite } from "@electric-sql/pglite";
import { eq } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.js";
import * as schema from "../src/db/schema.js";
import { agencies, cases, checkinSeries, consents, coordinators, infoRequests, members, roleAssignments } from "../src/db/schema.js";
import { buildAgenda, type Agenda } from "../src/modules/checkins/agenda.js";
import { agendaTasks, dueCases } from "../src/modules/checkins/agenda-queries.js";
import { onServer } from "./support/db.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The agenda reads each kind of data for all the cases of its page at once:
 * the statements it issues do not grow with the number of cases (at a busy
 * partnership's size, one statement per case and kind was most of its time),
 * every row still lands under its own case, and only the page's rows are read,
 * with counts of the rest.
 */

let h: Harness;
const STARTS_AT = new Date("2026-11-30T14:00:00Z");
const NOW = new Date("2026-11-16T10:00:00Z");

/** A Db on the same connection that records the statements it runs. */
function recording(db: Db, into: string[]): Db {
  const client = (db as unknown as { $client: unknown }).$client;
  const logger = { logQuery: (query: string) => void into.push(query) };
  const config = { schema, casing: "snake_case" as const, logger };
  return (onServer ? drizzlePostgres({ client: client as Sql, ...config }) : drizzlePglite({ client: client as PGlite, ...config })) as unknown as Db;
}

async function agendaWithStatements(): Promise<{ agenda: Agenda; statements: string[] }> {
  const [series] = await h.db.select().from(checkinSeries);
  const statements: string[] = [];
  const agenda = await buildAgenda(recording(h.db, statements), series!, STARTS_AT, NOW);
  return { agenda, statements };
}

/** A case due for review before the meeting, with an open task, a done one, a decision, a consent and an answered request. */
async function busyCase(n: number) {
  const kase = await givenCase(h, { core: ["officer", "teacher"] });
  await h.db.update(cases).set({ nextReviewOn: "2026-11-20", risk: "medium" }).where(eq(cases.id, kase.caseId));
  const open = (await h.run("officer", `task Open action ${n} @teacher due:2026-12-20`, kase.roomId)).text;
  const done = /T-\d+/.exec((await h.run("officer", `task Report back ${n} @officer due:2026-12-21`, kase.roomId)).text)![0];
  await h.run("officer", `task done ${done}`);
  await h.run("officer", `decision Decision ${n} because:"reason ${n}"`, kase.roomId);
  const [officer] = await h.db.select().from(members).where(eq(members.platformUserId, "officer"));
  const [social] = await h.db.select().from(agencies).where(eq(agencies.sector, "social-care"));
  await h.db.insert(consents).values({ caseId: kase.caseId, status: n % 2 ? "given" : "refused", recordedBy: officer!.id, recordedAt: NOW });
  await h.db.insert(infoRequests).values({
    partnershipId: h.demo.partnershipId, refNo: 100 + n, caseId: kase.caseId, agencyId: social!.id, dueOn: "2026-11-27",
    status: "shared", requestedBy: officer!.id, requestedAt: NOW, repliedBy: officer!.id, repliedAt: NOW,
  });
  return { ...kase, open: /T-\d+/.exec(open)![0], done };
}

beforeAll(async () => {
  h = await createHarness({ now: NOW });
  await h.db.update(roleAssignments).set({ fromAt: new Date("2026-01-01T00:00:00Z") });
  await h.db.update(coordinators).set({ since: new Date("2026-01-01T00:00:00Z") });
  await h.run("coordinator", 'checkin schedule "Monday check-in" every:monday at:14:00 from:2026-11-30');
});
afterAll(async () => {
  await h.close();
});

describe("the agenda's reads", () => {
  it("issue the same statements for one due case as for five", async () => {
    await busyCase(1);
    const one = await agendaWithStatements();
    expect(one.agenda.cases).toHaveLength(1);
    for (let n = 2; n <= 5; n++) await busyCase(n);
    const five = await agendaWithStatements();
    expect(five.agenda.cases).toHaveLength(5);
    expect(five.statements).toHaveLength(one.statements.length);
    expect(five.statements).toEqual(one.statements);
  });

  it("still put every action and piece of new information under its own case", async () => {
    const c = await busyCase(6);
    const { agenda } = await agendaWithStatements();
    const mine = agenda.cases.find((x) => x.ref === c.ref)!;
    expect(mine.previousActions.map((a) => [a.ref, a.status])).toEqual([
      [c.done, "done"],
      [c.open, "open"],
    ]);
    expect(mine.newInformation.decisions).toHaveLength(1);
    expect(mine.newInformation.sharesAnswered).toEqual(["R-106 shared"]);
    expect(mine.newInformation.consent).toBe("refused");
    // No other case carries this case's task or decision.
    const others = agenda.cases.filter((x) => x.ref !== c.ref);
    expect(others.flatMap((x) => x.previousActions.map((a) => a.ref))).not.toContain(c.open);
    expect(others.flatMap((x) => x.newInformation.decisions)).not.toContain(mine.newInformation.decisions[0]);
    expect(new Set(agenda.cases.flatMap((x) => x.newInformation.decisions)).size).toBe(6);
  });

  it("read only the page's rows, and count the rest", async () => {
    const pid = h.demo.partnershipId;
    for (let n = 1; n <= 3; n++) await h.run("coordinator", `task Partnership action ${n} @officer due:2026-11-2${n}`);
    const all = await dueCases(h.db, pid, "2026-11-30", { offset: 0, limit: 100 });
    expect(all.total).toBeGreaterThanOrEqual(6);
    expect(all.cases).toHaveLength(all.total);
    const page = await dueCases(h.db, pid, "2026-11-30", { offset: 2, limit: 3 });
    expect(page.cases.map((c) => c.refNo)).toEqual(all.cases.slice(2, 5).map((c) => c.refNo));
    expect(page.total).toBe(all.total);

    const q = { partnershipId: pid, meetingDate: "2026-11-30", caseIds: page.cases.map((c) => c.id), since: new Date("2026-11-01T00:00:00Z") };
    const second = await agendaTasks(h.db, { ...q, perCase: 1, overdue: { offset: 1, limit: 1 } });
    expect(second.overdue.map((x) => x.text)).toEqual(["Partnership action 2"]);
    expect(second.overdueTotal).toBe(3);
    // One action of each case read (its open one, before the done one), and the count of all of them.
    expect(second.actions).toHaveLength(3);
    expect(second.actions.every((x) => !x.done)).toBe(true);
    expect([...second.actionsOf.values()]).toEqual([2, 2, 2]);
  });
});
