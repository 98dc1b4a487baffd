import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, concerns, partnerships, rooms } from "../src/db/schema.js";
import { reconcileCases } from "../src/modules/cases/provisioning.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.run("teacher", 'concern Pupil talks about joining a group online name:"Ali Khan" dob:2009-05-06 urgency:high');
  await h.run("officer", "concern Second one");
  await h.run("nurse", "concern Third one");
});
afterAll(async () => {
  await h.close();
});

const room1 = () => h.rooms.byName("case-0001")!;

describe("opening a case", () => {
  it("only a coordinator can open one, and a refusal writes nothing", async () => {
    const before = await h.snapshot();
    const r = await h.run("officer", "case open C-1 lead:police");
    expect(r.text).toMatch(/permission/);
    expect(await h.snapshot()).toEqual(before);
  });

  it("creates a private room named by the ref only, invites the coordinator and the agencies' SPOCs, then posts and pins a pseudonymous summary", async () => {
    const r = await h.run("coordinator", "case open C-1 lead:police with:education,health", "triage");
    expect(r.text).toMatch(/CASE-1 is open, led by Northfield Police/);
    const room = room1();
    expect(room).toBeDefined();
    expect([...room.members].sort()).toEqual(["coordinator", "nurse", "officer", "teacher"]);
    expect(room.pinned).toHaveLength(1);
    expect(room.pinned[0]).toMatch(/Case CASE-1/);
    expect(room.pinned[0]).toMatch(/From concerns: C-1/);
    for (const text of [room.name, room.topic, ...room.messages]) expect(text).not.toMatch(/Ali|Khan|2009-05-06|joining a group/);
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 1));
    expect(k!.provisioning).toBe("ready");
    const [c] = await h.db.select().from(concerns).where(eq(concerns.refNo, 1));
    expect(c!.status).toBe("accepted");
  });

  it("the raiser hears that the concern was accepted, without details", async () => {
    expect(h.rooms.privateMessages.get("teacher")!.at(-1)).toMatch(/C-1, has been screened. Outcome: accepted/);
  });

  it("a concern already turned into a case cannot be opened twice", async () => {
    const r = await h.run("coordinator", "case open C-1 lead:police");
    expect(r.text).toMatch(/already closed \(accepted\)/);
  });

  it("an agency with no SPOC holder is refused clearly and nothing is written", async () => {
    const before = await h.snapshot();
    const r = await h.run("coordinator", "case open C-2 lead:police with:youth-work");
    expect(r.text).toMatch(/No one currently holds a single-point-of-contact role in: Northfield Youth Service/);
    expect(await h.snapshot()).toEqual(before);
  });

  it("unknown agencies and refs are refused with the usage", async () => {
    expect((await h.run("coordinator", "case open C-2 lead:fire-brigade")).text).toMatch(/No agency called "fire-brigade"[\s\S]*Write it as: case open/);
    expect((await h.run("coordinator", "case open C-99 lead:police")).text).toMatch(/no concern C-99/);
    expect((await h.run("coordinator", "case open lead:police")).text).toMatch(/Write it as/);
  });
});

describe("in the case room", () => {
  it("case info shows participants and is posted to the room", async () => {
    const r = await h.run("teacher", "case info", room1().id);
    expect(r.visibility).toBe("room");
    expect(r.text).toMatch(/Tess Teacher \(demo\), Northfield Academy/);
  });

  it("a member outside the case cannot use its commands, even with its ref", async () => {
    const before = await h.snapshot();
    const r = await h.run("social", "case info case:CASE-1");
    expect(r.text).toMatch(/not a participant of that case/);
    const r2 = await h.run("social", "case risk high", room1().id);
    expect(r2.text).toMatch(/not a participant/);
    expect(await h.snapshot()).toEqual(before);
  });

  it("case commands outside a case room without a ref say how to name the case", async () => {
    const r = await h.run("officer", "case info");
    expect(r.text).toMatch(/works in a case room, or name the case with case:CASE-n/);
  });

  it("stage, risk and review change the case and say so in the room", async () => {
    expect((await h.run("officer", "case stage support", room1().id)).text).toMatch(/CASE-1 moved to support/);
    expect((await h.run("officer", "case risk high", room1().id)).text).toMatch(/risk set to high/);
    expect((await h.run("officer", 'case review every:"2nd tuesday"', room1().id)).text).toMatch(/next review on 2026-12-08/);
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 1));
    expect([k!.stage, k!.risk, k!.nextReviewOn]).toEqual(["support", "high", "2026-12-08"]);
    expect((await h.run("officer", "case stage closed", room1().id)).text).toMatch(/case close outcome/);
    expect((await h.run("officer", "case review every:fortnightly-ish", room1().id)).text).toMatch(/is not a cadence/);
  });

  it("from outside the room, a change is confirmed privately and the room is told", async () => {
    const r = await h.run("coordinator", "case risk medium case:CASE-1", "partnership");
    expect(r.visibility).toBe("private");
    expect(room1().messages.at(-1)).toMatch(/risk set to medium/);
  });

  it("an ad-hoc participant is invited until a date and loses access after it", async () => {
    const r = await h.run("officer", "case invite @social until:2026-12-02", room1().id);
    expect(r.text).toMatch(/Sam Social \(demo\) added to CASE-1 ad hoc, until 2026-12-02/);
    expect(room1().members.has("social")).toBe(true);
    expect((await h.run("social", "case info", room1().id)).text).toMatch(/Case CASE-1/);
    // Ad hoc participants read, but do not change the case.
    expect((await h.run("social", "case risk high", room1().id)).text).toMatch(/permission/);
    h.setNow(new Date("2026-12-03T09:00:00Z"));
    expect((await h.run("social", "case info", room1().id)).text).toMatch(/not a participant/);
    h.setNow(new Date("2026-11-30T10:00:00Z"));
  });

  it("the member cap is enforced with a clear refusal", async () => {
    const [p] = await h.db.select().from(partnerships);
    await h.db.update(partnerships).set({ caseMemberCap: 5 }).where(eq(partnerships.id, p!.id));
    const r = await h.run("officer", "case invite @youth", room1().id);
    expect(r.text).toMatch(/already has 5 participants, the partnership's cap/);
    await h.db.update(partnerships).set({ caseMemberCap: 12 }).where(eq(partnerships.id, p!.id));
  });

  it("remove takes a person out of the case and its room; the coordinator cannot be removed", async () => {
    expect((await h.run("officer", "case remove @nurse", room1().id)).text).toMatch(/Nia Nurse \(demo\) removed/);
    expect(room1().members.has("nurse")).toBe(false);
    expect((await h.run("officer", "case remove @coordinator", room1().id)).text).toMatch(/cannot be removed/);
    expect((await h.run("officer", "case remove @nurse", room1().id)).text).toMatch(/do not take part/);
  });
});

describe("closing", () => {
  it("only the coordinator closes; the room is told and archived; nothing more can be recorded", async () => {
    expect((await h.run("officer", 'case close outcome:"done"', room1().id)).text).toMatch(/permission/);
    const r = await h.run("coordinator", 'case close outcome:"Support completed, risk reduced"', room1().id);
    expect(r.text).toMatch(/CASE-1 is closed/);
    expect(room1().archived).toBe(true);
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 1));
    expect(k!.outcomeEnc).not.toMatch(/Support/);
    expect((await h.run("coordinator", "case risk low case:CASE-1")).text).toMatch(/CASE-1 is closed/);
  });
});

describe("crash-safe opening", () => {
  it("a room creation that fails leaves the case pending; the reconciler finishes it without a second room", async () => {
    h.rooms.failNext = new Error("platform down");
    await h.run("coordinator", "case open C-2 lead:police");
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 2));
    expect(k!.provisioning).toBe("pending");
    expect(h.rooms.byName("case-0002")).toBeUndefined();
    expect(await reconcileCases(h.db, h.deps)).toEqual({ ready: 1, failed: 0 });
    expect(h.rooms.byName("case-0002")!.pinned).toHaveLength(1);
    expect(await reconcileCases(h.db, h.deps)).toEqual({ ready: 0, failed: 0 });
  });

  it("a crash after the room was made but before it was recorded reuses that room", async () => {
    // Room creation succeeds, then the invite fails: the binding is rolled back, the room exists.
    const origInvite = h.rooms.invite.bind(h.rooms);
    let failed = false;
    h.rooms.invite = async (roomId, ids) => {
      if (!failed) {
        failed = true;
        throw new Error("crash");
      }
      return origInvite(roomId, ids);
    };
    await h.run("coordinator", "case open C-3 lead:health");
    expect(h.rooms.byName("case-0003")).toBeDefined();
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 3));
    expect(k!.provisioning).toBe("pending");
    await reconcileCases(h.db, h.deps);
    const bound = await h.db.select().from(rooms).where(eq(rooms.caseId, k!.id));
    expect(bound).toHaveLength(1);
    expect([...h.rooms.rooms.values()].filter((r) => r.name === "case-0003")).toHaveLength(1);
    h.rooms.invite = origInvite;
  });
});

describe("legal hold", () => {
  it("can be set on a closed case (it stops the retention purge), but not on a purged one", async () => {
    const r = await h.run("coordinator", "case hold on case:CASE-1");
    expect(r.text).toMatch(/CASE-1 is under legal hold/);
    const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 1));
    expect(k!.legalHold).toBe(true);
    await h.db.update(cases).set({ purgedAt: new Date() }).where(eq(cases.refNo, 1));
    expect((await h.run("coordinator", "case hold off case:CASE-1")).text).toMatch(/has been purged/);
  });
});
