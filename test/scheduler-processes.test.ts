import { spawn, type ChildProcess } from "node:child_process";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createRegistry } from "../src/commands/all.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import { plainText } from "../src/commands/reply.js";
import { rowsOf } from "../src/db/client.js";
import { agencies, roleAssignments, roles, members } from "../src/db/schema.js";
import { seedDemo } from "../src/demo/seed.js";
import { createKeyring } from "../src/security/crypto.js";
import { onServer, testDatabase } from "./support/db.js";
import { TEST_SECRET } from "./support/harness.js";
import { RecordingRooms } from "./support/recording-rooms.js";

/**
 * Several bot processes on one real PostgreSQL server, draining the same due
 * reminders: each reminder reaches its partner once, and when one process is
 * killed (SIGKILL) in the middle, the others finish its work.
 */

const EXTRA_PARTNERS = 100;
const DAY = 86_400_000;
let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
const children: ChildProcess[] = [];

/**
 * tsx runs the script in a child node process: SIGKILL the whole process group
 * (the worker is started as its leader), or the real worker would live on.
 */
function killHard(c: ChildProcess): void {
  try {
    process.kill(-c.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

afterEach(async () => {
  for (const c of children.splice(0)) killHard(c);
  await database?.close();
  database = undefined;
});

/** A partnership with many partners and a weekly check-in whose first meeting is four days ahead; its reminders are planned. */
async function givenManyReminders(): Promise<{ url: string; meeting: Date; expected: string[] }> {
  database = await testDatabase();
  const db = database.db;
  const now = new Date();
  const deps: Deps = {
    db,
    keyring: createKeyring(TEST_SECRET),
    logger: pino({ level: "silent" }),
    ports: { console: new RecordingRooms("console") },
    clock: () => now,
    registry: createRegistry(),
  };
  const { partnershipId } = await seedDemo(db, "console");
  const [agency] = await db.insert(agencies).values({ partnershipId, name: "Extra Partners", sector: "ngo" }).returning();
  for (let i = 0; i < EXTRA_PARTNERS; i++) {
    const [m] = await db.insert(members).values({ partnershipId, platform: "console", platformUserId: `partner${i}`, displayName: `Partner ${i}`, agencyId: agency!.id }).returning();
    const [r] = await db.insert(roles).values({ agencyId: agency!.id, title: `Partner role ${i}` }).returning();
    await db.insert(roleAssignments).values({ roleId: r!.id, memberId: m!.id, fromAt: new Date(now.getTime() - DAY) });
  }
  const from = new Date(now.getTime() + 4 * DAY).toISOString().slice(0, 10);
  const reply = await createDispatcher(db, deps, deps.registry).dispatch({
    platform: "console",
    userId: "coordinator",
    roomId: "partnership",
    text: `checkin schedule "Weekly partnership check-in" every:week at:10:00 tz:UTC from:${from}`,
    interactive: false,
  });
  expect(plainText(reply.doc)).toContain("Check-in K-1 scheduled");
  await db.execute(sql`create table test_deliveries (id serial primary key, idem_key text, target text, worker text, body text, attachments int)`);
  const meeting = new Date(`${from}T10:00:00Z`);
  const jobs = await rowsOf<{ unique_key: string }>(db, sql`select unique_key from scheduled_jobs where unique_key like ${"checkin:%:1440:%"}`);
  return { url: database.url!, meeting, expected: jobs.map((j) => j.unique_key) };
}

/** Start workers whose clock reads 23 hours before the meeting: the day-before reminders are due, the hour-before ones not yet. */
async function startWorkers(url: string, meeting: Date, n: number): Promise<ChildProcess[]> {
  const offset = meeting.getTime() - 23 * 3_600_000 - Date.now();
  const started = Array.from({ length: n }, (_, i) => {
    const child = spawn("node_modules/.bin/tsx", ["test/support/scheduler-worker.ts"], {
      env: { ...process.env, DATABASE_URL: url, WORKER_ID: `w${i}`, CLOCK_OFFSET_MS: String(offset), SEND_DELAY_MS: "15", LEASE_MS: "3000" },
      stdio: ["pipe", "pipe", "inherit"],
      detached: true,
    });
    children.push(child);
    return child;
  });
  await Promise.all(started.map((c) => new Promise<void>((resolve, reject) => {
    c.stdout.on("data", (b: Buffer) => b.toString().includes("ready") && resolve());
    c.once("exit", (code) => reject(new Error(`worker exited early (${code})`)));
  })));
  for (const c of started) c.stdin.write("go\n");
  return started;
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code))));

async function deliveries() {
  return rowsOf<{ idem_key: string; worker: string; body: string; attachments: number }>(database!.db, sql`select idem_key, worker, body, attachments from test_deliveries`);
}

describe.runIf(onServer)("scheduler processes on the real server", () => {
  it("three processes drain the same due reminders: every one sent, none twice", async () => {
    const { url, meeting, expected } = await givenManyReminders();
    expect(expected.length).toBe(EXTRA_PARTNERS + 6 + 1);
    const workers = await startWorkers(url, meeting, 3);
    expect(await Promise.all(workers.map(exited))).toEqual([0, 0, 0]);
    const sent = await deliveries();
    expect(sent.map((d) => d.idem_key).sort()).toEqual([...expected].sort());
    expect(new Set(sent.map((d) => d.worker)).size).toBeGreaterThan(1);
    expect(sent.every((d) => d.attachments === 1 && d.body.includes("Weekly partnership check-in"))).toBe(true);
    const [status] = await rowsOf<{ done: number; other: number }>(
      database!.db,
      sql`select count(*) filter (where status = 'done')::int as done, count(*) filter (where status <> 'done')::int as other from scheduled_jobs where unique_key like ${"checkin:%:1440:%"}`,
    );
    expect(status).toEqual({ done: expected.length, other: 0 });
  }, 60_000);

  it("one of three processes killed mid-way: the others finish its reminders, and no partner gets one twice", async () => {
    const { url, meeting, expected } = await givenManyReminders();
    const workers = await startWorkers(url, meeting, 3);
    const victim = workers[0]!;
    // Mid-way: a third of the reminders are out, some of them by the process about to die.
    await expect
      .poll(async () => {
        const d = await deliveries();
        return d.length >= expected.length / 3 && d.some((x) => x.worker === "w0");
      }, { timeout: 30_000, interval: 5 })
      .toBe(true);
    killHard(victim);
    await exited(victim);
    // A write the victim had already sent may still land: let it, then count.
    await new Promise((r) => setTimeout(r, 200));
    const atKill = (await deliveries()).filter((d) => d.worker === "w0").length;
    const [, a, b] = await Promise.all(workers.map(exited));
    expect([a, b]).toEqual([0, 0]);

    const sent = await deliveries();
    const byKey = new Map<string, number>();
    for (const d of sent) byKey.set(d.idem_key, (byKey.get(d.idem_key) ?? 0) + 1);
    // Every reminder reached its partner.
    expect([...byKey.keys()].sort()).toEqual([...expected].sort());
    // A send the dead process made but had not yet recorded is repeated with the same idempotency key, which
    // the platform uses to show it once (Matrix transaction ids); at most the one send in flight at the kill.
    expect(sent.length - byKey.size).toBeLessThanOrEqual(1);
    // The killed process sent nothing after its death; the other two did the rest.
    expect(sent.filter((d) => d.worker === "w0").length).toBe(atKill);
    expect(sent.filter((d) => d.worker !== "w0").length).toBeGreaterThanOrEqual(expected.length - atKill);
    const [status] = await rowsOf<{ done: number }>(
      database!.db,
      sql`select count(*) filter (where status = 'done')::int as done from scheduled_jobs where unique_key like ${"checkin:%:1440:%"}`,
    );
    expect(status!.done).toBe(expected.length);
  }, 90_000);
});
