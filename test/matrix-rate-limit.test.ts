import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitWait, withRateLimitRetry } from "../src/adapters/matrix/rate-limit.js";
import { dbKind } from "./support/db.js";
import { BOT, createMatrixHarness, mxid, type MatrixHarness } from "./support/fake-homeserver/matrix-harness.js";

const limited = (retryAfterMs: number) => Object.assign(new Error("M_LIMIT_EXCEEDED"), { errcode: "M_LIMIT_EXCEEDED", retryAfterMs });

/** Rate limits are waited out as the homeserver asks, and nothing is lost or sent twice. */

describe("waiting out a rate limit", () => {
  it("reads retry_after_ms from M_LIMIT_EXCEEDED, and leaves other errors alone", () => {
    expect(rateLimitWait({ errcode: "M_LIMIT_EXCEEDED", retryAfterMs: 250 })).toBe(250);
    expect(rateLimitWait({ statusCode: 429, body: { retry_after_ms: 40 } })).toBe(40);
    expect(rateLimitWait({ errcode: "M_LIMIT_EXCEEDED" }, 1000)).toBe(1000);
    expect(rateLimitWait({ errcode: "M_FORBIDDEN", statusCode: 403 })).toBeNull();
    expect(rateLimitWait(new Error("socket hang up"))).toBeNull();
  });

  it("repeats the request after each wait, capped, until it passes or the attempts run out", async () => {
    const waits: number[] = [];
    let calls = 0;
    const ok = await withRateLimitRetry(
      async () => {
        if (++calls < 3) throw limited(calls === 1 ? 120_000 : 10);
        return "sent";
      },
      { sleep: async (ms) => void waits.push(ms), maxWaitMs: 5_000 },
    );
    expect(ok).toBe("sent");
    expect(waits).toEqual([5_000, 10]);
    await expect(withRateLimitRetry(async () => Promise.reject(limited(1)), { maxAttempts: 3, sleep: async () => {} })).rejects.toMatchObject({ errcode: "M_LIMIT_EXCEEDED" });
  });
});

describe(`the bot under rate limits (${dbKind})`, () => {
  let h: MatrixHarness;
  const teacher = mxid("teacher");

  beforeAll(async () => {
    h = await createMatrixHarness();
    h.fake.register(teacher);
    await h.startBot();
  }, 60_000);

  afterAll(async () => {
    await h.close();
  });

  it("every reply arrives exactly once, in order, when sends and syncs are rate limited", async () => {
    const dm = h.fake.as(teacher).createDm(BOT);
    await h.waitForNotice(dm, teacher, /Type !rt help/);
    h.fake.http.rateLimit(/\/send\//, 3, 60);
    h.fake.http.rateLimit(/\/sync$/, 2, 60);
    h.fake.as(teacher).say(dm, "!rt whoami");
    h.fake.as(teacher).say(dm, "!task list");
    h.fake.as(teacher).say(dm, "!rt whoami");
    await h.fake.waitFor(() => h.notices(dm, teacher).length >= 4, 10_000, "three replies");
    await new Promise((r) => setTimeout(r, 500));
    const replies = h.notices(dm, teacher).slice(1);
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatch(/Tess Teacher/);
    expect(replies[2]).toMatch(/Tess Teacher/);
    const limited = h.fake.http.requests.filter((r) => r.status === 429);
    expect(limited.length).toBe(5);
  });
});
