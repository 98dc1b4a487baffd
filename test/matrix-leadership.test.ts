import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Lease } from "../src/domain/lease.js";
import type { MatrixAdapter } from "../src/adapters/matrix/index.js";
import { decisions } from "../src/db/schema.js";
import { dbKind, onServer } from "./support/db.js";
import { BOT, createMatrixHarness, eventually, mxid, type MatrixHarness } from "./support/fake-homeserver/matrix-harness.js";

/** Several bot processes on one database: exactly one syncs, and another takes over when it stops or dies. */

let h: MatrixHarness;
const teacher = mxid("teacher");
/** tsx runs the script in a child node process: kill the whole process group it leads. */
function killHard(p: { child: ChildProcess }): void {
  try {
    process.kill(-p.child.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await createMatrixHarness();
  h.fake.register(teacher);
}, 60_000);

afterAll(async () => {
  await h.close();
});

describe(`the sync lease (${dbKind})`, () => {
  it("is held by one holder at a time, and taken over once it lapses", async () => {
    const a = new Lease(h.db, "test-lease", 400);
    const b = new Lease(h.db, "test-lease", 400);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await a.acquire()).toBe(true); // renewal
    await sleep(500);
    expect(a.held).toBe(false);
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
    await b.release();
    expect(await a.acquire()).toBe(true);
  });

  it("two bots on one database: one syncs, each command is answered once, and the other takes over when it stops", async () => {
    const one = await h.startBot();
    const two = await h.startBot();
    const bots: MatrixAdapter[] = [one, two];
    await eventually(async () => bots.some((b) => b.isLeading()), 5_000, "a leader");
    for (let i = 0; i < 10; i++) {
      expect(bots.filter((b) => b.isLeading()).length).toBeLessThanOrEqual(1);
      await sleep(100);
    }
    const dm = h.fake.as(teacher).createDm(BOT);
    await h.waitForNotice(dm, teacher, /Type !rt help/);
    h.fake.as(teacher).say(dm, "!rt whoami");
    await h.waitForNotice(dm, teacher, /Tess Teacher/, 1);
    await sleep(800);
    expect(h.notices(dm, teacher)).toHaveLength(2);

    const leader = bots.find((b) => b.isLeading())!;
    const other = bots.find((b) => b !== leader)!;
    const stoppedAt = Date.now();
    await leader.stop();
    await eventually(async () => other.isLeading(), 5_000, "the takeover");
    expect(Date.now() - stoppedAt).toBeLessThan(3_000);
    h.fake.as(teacher).say(dm, "!rt whoami");
    await h.waitForNotice(dm, teacher, /Tess Teacher/, 2);
    await h.stopBots();
  });

  it.runIf(onServer)(
    "two bot processes on the real server: one syncs; when it is killed the other takes over within seconds",
    async () => {
      const procs: Array<{ child: ChildProcess; lines: string[] }> = [];
      const dataDir = mkdtempSync(join(tmpdir(), "rt-matrix-proc-"));
      const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
      const script = join(process.cwd(), "test", "support", "fake-homeserver", "bot-process.ts");
      const envFor = { ...process.env, DB_URL: h.database.url, HS_URL: h.fake.url, HS_TOKEN: h.botToken, DATA_DIR: dataDir };
      for (let i = 0; i < 2; i++) {
        const child = spawn(tsx, [script], { env: envFor, stdio: ["ignore", "pipe", "inherit"], detached: true });
        const p = { child, lines: [] as string[] };
        child.stdout.on("data", (c: Buffer) => p.lines.push(...c.toString().split("\n").filter(Boolean)));
        procs.push(p);
      }
      try {
        const leading = (p: (typeof procs)[number]) => p.lines.filter((l) => l.startsWith("LEADING")).length > p.lines.filter((l) => l.startsWith("FOLLOWING")).length;
        await eventually(async () => procs.every((p) => p.lines.some((l) => l.startsWith("READY"))) && procs.some(leading), 30_000, "both processes up, one leading");
        for (let i = 0; i < 10; i++) {
          expect(procs.filter(leading)).toHaveLength(1);
          await sleep(100);
        }
        const dm = h.fake.as(teacher).createDm(BOT);
        await h.waitForNotice(dm, teacher, /Type !rt help/);
        const leader = procs.find(leading)!;
        const follower = procs.find((p) => p !== leader)!;
        const killedAt = Date.now();
        killHard(leader);
        await eventually(async () => leading(follower), 10_000, "the follower taking over");
        expect(Date.now() - killedAt).toBeLessThan(6_000);
        h.fake.as(teacher).say(dm, '!decision Not in a case room');
        h.fake.as(teacher).say(dm, "!rt whoami");
        await h.waitForNotice(dm, teacher, /Tess Teacher/, 1);
        await sleep(800);
        expect(h.notices(dm, teacher)).toHaveLength(3);
        expect(await h.db.select().from(decisions)).toHaveLength(0);
      } finally {
        for (const p of procs) killHard(p);
      }
    },
    60_000,
  );
});
