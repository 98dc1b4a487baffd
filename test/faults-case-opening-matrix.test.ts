import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startMatrix, type MatrixAdapter } from "../src/adapters/matrix/index.js";
import type { Deps } from "../src/commands/define.js";
import { createDispatcher } from "../src/commands/dispatcher.js";
import type { Invocation } from "../src/commands/invocation.js";
import { cases, rooms } from "../src/db/schema.js";
import { reconcileCases } from "../src/modules/cases/provisioning.js";
import { dbKind } from "./support/db.js";
import { bounded, dyingProxy, type DyingProxy, type SeenRequest } from "./support/dying-proxy.js";
import { BOT, createMatrixHarness, FAST, mxid, PARTNER_SERVER, type MatrixHarness } from "./support/fake-homeserver/matrix-harness.js";

const PARTNERSHIP_ROOM = "!partnership:example.org";
const asMember = (handle: string, text: string): Invocation => ({ platform: "matrix", userId: mxid(handle), roomId: PARTNERSHIP_ROOM, text, interactive: false });

/** The summary's send: a notice sent with a fixed transaction id (the post's idempotency key), naming the case. */
const summarySend = (r: SeenRequest) =>
  r.method === "PUT" && /\/rooms\/[^/]+\/send\/m\.room\.message\/rt-/.test(r.path) && /Case CASE-1/.test(r.body.toString());
const summaryPin = (r: SeenRequest) => r.method === "PUT" && r.path.includes("/state/m.room.pinned_events");

/**
 * The Matrix side of case opening after a kill -9: the summary is sent with a
 * transaction id derived from the room and the post's idempotency key, so the
 * next start's reconciler, signed in with the same access token, sends the
 * same transaction again and the homeserver answers with the event it already
 * has: one summary, pinned once. The homeserver keeps transaction ids for a
 * while only (Synapse about half an hour): a restart after that finds the
 * summary by the key's mark it carries, pinned (or, killed before pinning,
 * among the bot's latest messages), and still makes no second one.
 */
describe(`a kill -9 while a case's Matrix room is being set up (${dbKind} database)`, () => {
  let h: MatrixHarness;
  let doomed: { bot: MatrixAdapter; proxy: DyingProxy } | undefined;

  beforeEach(async () => {
    h = await createMatrixHarness();
    for (const handle of ["coordinator", "officer", "teacher", "nurse", "social", "youth"]) h.fake.register(mxid(handle));
  }, 60_000);
  afterEach(async () => {
    if (doomed) {
      await doomed.proxy.close();
      await bounded(doomed.bot.stop(), 3_000);
      doomed = undefined;
    }
    await h?.close();
  });

  /** A bot of its own on the same database and account, through a proxy that kills it after the request `dieAfter` picks. */
  async function openCaseAndDie(dieAfter: (r: SeenRequest) => boolean): Promise<void> {
    const proxy = await dyingProxy(h.fake.url, dieAfter);
    const deps: Deps = { ...h.deps, ports: {} };
    const dispatcher = createDispatcher(h.db, deps, deps.registry);
    const bot = await startMatrix({
      db: h.db,
      deps,
      dispatcher,
      config: { homeserverUrl: proxy.url, accessToken: h.botToken, allowedServers: [PARTNER_SERVER], e2ee: false },
      dataDir: mkdtempSync(join(tmpdir(), "rt-matrix-doomed-")),
      timing: FAST,
    });
    doomed = { bot, proxy };
    const concern = await dispatcher.dispatch(asMember("teacher", "concern Worrying posts online urgency:high"));
    expect(concern.doc.tone).toBe("success");
    // Its effects never finish: the process is dead once the proxy has passed on the request picked.
    void dispatcher.dispatch(asMember("coordinator", "case open C-1 lead:police with:education"));
    await proxy.deathReached;
  }

  /** The restart: another bot signs in with the same token, the dead process's lease lapses, and the reconciler runs. */
  async function restart(forgotten: boolean) {
    if (forgotten) h.fake.hs.forgetTransactions();
    await h.startBot();
    await h.db.execute(sql`update leases set expires_at = now() - interval '1 second' where name like 'case-room:%'`);
    return reconcileCases(h.db, h.deps);
  }

  const killPoints: Array<[string, (r: SeenRequest) => boolean, boolean]> = [
    ["the summary was sent (before it was pinned)", summarySend, false],
    ["the summary was pinned (before the case was marked ready)", summaryPin, false],
    ["the summary was sent, restarted once the homeserver had forgotten the transaction", summarySend, true],
    ["the summary was pinned, restarted once the homeserver had forgotten the transaction", summaryPin, true],
  ];
  const caseRooms = () => h.fake.hs.joinedRooms(BOT).filter((id) => h.fake.hs.room(id).stateContent<{ name?: string }>("m.room.name")?.name === "case-0001");
  const botMessages = (roomId: string) => h.fake.hs.room(roomId).events.filter((e) => e.type === "m.room.message" && e.sender === BOT);
  const isEdit = (content: Record<string, unknown>) => (content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace";
  const summariesIn = (roomId: string) => botMessages(roomId).filter((e) => !isEdit(e.content) && /Case CASE-1/.test(String(e.content["body"])));

  it.each(killPoints)("killed right after %s: the next start finishes the same room with one summary, pinned once", async (_, dieAfter, forgotten) => {
    await openCaseAndDie(dieAfter);
    expect((await h.db.select().from(cases))[0]?.provisioning).toBe("pending");
    // The homeserver did send it: what follows must not send it again.
    expect(caseRooms().flatMap(summariesIn)).toHaveLength(1);
    expect(await restart(forgotten)).toEqual({ ready: 1, failed: 0 });

    const [kase] = await h.db.select().from(cases);
    expect(kase?.provisioning).toBe("ready");
    const named = caseRooms();
    expect(named).toHaveLength(1);
    const room = h.fake.hs.room(named[0]!);
    const bound = await h.db.select().from(rooms).where(eq(rooms.caseId, kase!.id));
    expect(bound.map((r) => r.platformRoomId)).toEqual([room.id]);
    for (const u of ["coordinator", "officer", "teacher"]) expect(room.membership(mxid(u))).toBe("invite");

    const summaries = summariesIn(room.id);
    expect(summaries).toHaveLength(1);
    expect(room.stateContent<{ pinned: string[] }>("m.room.pinned_events")?.pinned).toEqual([summaries[0]!.event_id]);
    // Nothing changed in the case meanwhile: the summary is not edited either.
    expect(botMessages(room.id).filter((e) => isEdit(e.content))).toHaveLength(0);
    expect(await reconcileCases(h.db, h.deps)).toEqual({ ready: 0, failed: 0 });
  });
});
