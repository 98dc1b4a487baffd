import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { pino } from "pino";
import { startMatrix, type MatrixAdapter, type StartMatrixOptions } from "../../../src/adapters/matrix/index.js";
import { createRegistry } from "../../../src/commands/all.js";
import type { Deps } from "../../../src/commands/define.js";
import { createDispatcher } from "../../../src/commands/dispatcher.js";
import { rowsOf } from "../../../src/db/client.js";
import * as schema from "../../../src/db/schema.js";
import { rooms } from "../../../src/db/schema.js";
import { seedDemo } from "../../../src/demo/seed.js";
import { createKeyring } from "../../../src/security/crypto.js";
import { testDatabase } from "../db.js";
import { TEST_SECRET } from "../harness.js";
import { startFakeHomeserver, type FakeHomeserver } from "./index.js";

export const BOT = "@roundtable:example.org";
/** A partner homeserver the partnership federates with. */
export const PARTNER_SERVER = "health.example.net";
/** Demo handle → Matrix id; the nurse is on the partner's server. */
export const mxid = (handle: string) => (handle === "nurse" ? `@nurse:${PARTNER_SERVER}` : `@${handle}:example.org`);

/** Fast timings so tests of leadership and restarts take seconds. */
export const FAST = { leaseTtlMs: 2_000, renewEveryMs: 300, pollTimeoutMs: 300, choresEveryMs: 0 };

/**
 * A fake homeserver, a fresh database with the demo partnership on Matrix ids
 * (no coordinators' room: the bot creates it), and a way to start the bot.
 */
export async function createMatrixHarness(opts: { now?: Date } = {}) {
  const fake: FakeHomeserver = await startFakeHomeserver({ serverName: "example.org" });
  const botToken = fake.register(BOT);
  const database = await testDatabase();
  const db = database.db;
  await seedDemo(db, "matrix", { userIdFor: mxid, rooms: { partnership: "!partnership:example.org", triage: "!unused-triage:example.org" } });
  await db.delete(rooms).where(eq(rooms.purpose, "triage"));
  const now = opts.now ?? new Date("2026-11-30T10:00:00Z");
  const registry = createRegistry();
  const deps: Deps = { db, keyring: createKeyring(TEST_SECRET), logger: pino({ level: "silent" }), ports: {}, clock: () => now, registry };
  const dispatcher = createDispatcher(db, deps, registry);
  const dataDir = mkdtempSync(join(tmpdir(), "rt-matrix-"));
  const running: MatrixAdapter[] = [];

  return {
    fake,
    db,
    deps,
    dispatcher,
    database,
    botToken,
    /** Start a bot process (in this test process) against the fake. */
    async startBot(extra: Partial<StartMatrixOptions> = {}): Promise<MatrixAdapter> {
      const a = await startMatrix({
        db,
        deps,
        dispatcher,
        config: { homeserverUrl: fake.url, accessToken: botToken, allowedServers: [PARTNER_SERVER], e2ee: false },
        dataDir,
        timing: FAST,
        ...extra,
      });
      running.push(a);
      return a;
    },
    /** Notices the bot sent to a room, as `viewer` can see them, plain bodies. */
    notices(roomId: string, viewer: string): string[] {
      return fake.as(viewer).messagesFrom(roomId, BOT).map((e) => (typeof e.content["body"] === "string" ? e.content["body"] : ""));
    },
    /** Wait for a bot notice in `roomId` (seen by `viewer`) matching `re`, newer than the first `after` notices. */
    waitForNotice(roomId: string, viewer: string, re: RegExp, after = 0): Promise<string> {
      return fake.waitFor(() => this.notices(roomId, viewer).slice(after).find((b) => re.test(b)), 10_000, `a notice matching ${re}`);
    },
    /** Stop every bot started here. */
    async stopBots(): Promise<void> {
      for (const a of running.splice(0)) await a.stop();
    },
    async close(): Promise<void> {
      for (const a of running.splice(0)) await a.stop();
      await fake.close();
      await database.close();
    },
  };
}

export type MatrixHarness = Awaited<ReturnType<typeof createMatrixHarness>>;

/** Row counts of every table but the audit log: to prove a refused command changed nothing. */
export async function rowCounts(db: MatrixHarness["db"]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, t] of Object.entries(schema)) {
    if (!isTable(t) || name === "auditEvents" || name === "auditHeads" || name === "processedEvents" || name === "botState") continue;
    const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ${t as typeof schema.members}`);
    counts[name] = Number(row!.n);
  }
  return counts;
}

const isTable = (x: unknown) => typeof x === "object" && x !== null && Symbol.for("drizzle:IsDrizzleTable") in x;

/** Poll an async condition until it yields a value, or fail after `ms`. */
export async function eventually<T>(pred: () => Promise<T | undefined | null | false>, ms = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
