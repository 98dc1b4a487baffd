import { performance } from "node:perf_hooks";
import { count } from "drizzle-orm";
import type { Db } from "../src/db/client.js";
import { lessons } from "../src/db/schema.js";
import { seedDemo } from "../src/demo/seed.js";
import { signed, slashCommand } from "../test/support/fake-slack/payloads.js";
import { FakeSlack } from "../test/support/fake-slack/server.js";

/** The signing secret every Slack benchmark signs its requests with. */
export const BENCH_SIGNING_SECRET = "bench-signing-secret";
const TEAM = "T1";
const CHANNEL = "C_PARTNERSHIP";
const HANDLES = ["coordinator", "officer", "teacher", "nurse", "social", "youth"];
const U = (handle: string) => `U${handle.toUpperCase()}`;

/** The fake Slack Web API with the demo partnership's people and channels (the benchmark's workspace). */
export async function startBenchSlack(): Promise<FakeSlack> {
  const scopes = ["commands", "chat:write", "groups:write", "groups:read", "im:write", "pins:write", "users:read", "files:write"];
  const fake = new FakeSlack({ scopes, teamId: TEAM });
  await fake.start();
  for (const h of HANDLES) fake.ws.addUser({ id: U(h), team: TEAM, name: h });
  const bot = fake.ws.botUserId;
  fake.ws.addChannel({ id: CHANNEL, name: "partnership", isPrivate: false, members: [bot, ...HANDLES.map(U)] });
  fake.ws.addChannel({ id: "G_TRIAGE", name: "triage", isPrivate: true, members: [bot, U("coordinator")] });
  return fake;
}

/** Seed the demo partnership with the fake workspace's Slack ids. */
export async function seedBenchSlack(db: Db): Promise<void> {
  await seedDemo(db, "slack", { userIdFor: (h) => `${TEAM}:${U(h)}`, rooms: { partnership: CHANNEL, triage: "G_TRIAGE" } });
}

/** Send one signed `/lesson` slash command to `base`; resolves at the ack with its latency in ms. */
export async function sendLesson(fake: FakeSlack, base: string, n: number): Promise<{ status: number; ms: number }> {
  const body = slashCommand({
    user: U("coordinator"),
    team: TEAM,
    command: "/lesson",
    text: `Benchmark lesson ${n}`,
    channel: CHANNEL,
    responseUrl: fake.responseUrl(),
    triggerId: fake.trigger(U("coordinator")),
  });
  const req = signed(BENCH_SIGNING_SECRET, body, "application/x-www-form-urlencoded");
  const started = performance.now();
  const res = await fetch(`${base}/slack/events`, { method: "POST", headers: req.headers, body: req.body });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started };
}

/**
 * Load on one or more receivers: `steady` requests paced `intervalMs` apart,
 * then `bursts` bursts of `burstSize` at once; bounded in count, and each
 * request times out after 5 s. Targets are used round-robin.
 */
export async function drive(
  fake: FakeSlack,
  bases: string[],
  o: { steady: number; intervalMs: number; bursts: number; burstSize: number },
): Promise<{ latencies: number[]; failed: number; sent: number; seconds: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let n = 0;
  const one = async () => {
    const i = n++;
    try {
      const r = await Promise.race([
        sendLesson(fake, bases[i % bases.length]!, i),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), 5000).unref()),
      ]);
      if (r.status === 200) latencies.push(r.ms);
      else failed++;
    } catch {
      failed++;
    }
  };
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < o.steady; i++) {
    pending.push(one());
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
  await Promise.all(pending);
  for (let b = 0; b < o.bursts; b++) {
    await Promise.all(Array.from({ length: o.burstSize }, one));
    await new Promise((r) => setTimeout(r, 200));
  }
  return { latencies: latencies.sort((a, b) => a - b), failed, sent: n, seconds: (performance.now() - started) / 1000 };
}

/** Lessons recorded so far (each benchmark command records one). */
export const recorded = async (db: Db) => (await db.select({ n: count() }).from(lessons))[0]?.n ?? 0;

/** Wait until `target` lessons are in the database (at most `ms`); the count at the end. */
export async function settle(db: Db, target: number, ms = 60_000): Promise<number> {
  const deadline = Date.now() + ms;
  let n = await recorded(db);
  while (n < target && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    n = await recorded(db);
  }
  return n;
}
