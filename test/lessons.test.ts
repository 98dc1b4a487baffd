import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessons, members } from "../src/db/schema.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

const MONDAY = new Date("2026-11-30T10:00:00Z");

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
});
afterAll(async () => {
  await h.close();
});

async function memberId(handle: string) {
  const [m] = await h.db.select().from(members).where(and(eq(members.partnershipId, h.demo.partnershipId), eq(members.platformUserId, handle)));
  return m!.id;
}

async function lesson(ref: string) {
  const [l] = await h.db.select().from(lessons).where(and(eq(lessons.partnershipId, h.demo.partnershipId), eq(lessons.refNo, Number(ref.slice(2)))));
  return l!;
}

describe("proposing a lesson", () => {
  it("any member proposes a lesson; it is proposed, with its source", async () => {
    const r = await h.run("youth", 'lesson Minutes reached partners too late to act on source:"review of CASE-1"');
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("Lesson L-1 proposed.");
    expect(await lesson("L-1")).toMatchObject({
      text: "Minutes reached partners too late to act on",
      source: "review of CASE-1",
      status: "proposed",
      followUp: null,
      createdBy: await memberId("youth"),
      adoptedBy: null,
    });
  });

  it("a lesson may be proposed without a source, even from a case room, and the reply stays private", async () => {
    const kase = await givenCase(h, { core: ["officer"] });
    const r = await h.run("officer", "lesson Invite housing earlier", kase.roomId);
    expect(r.visibility).toBe("private");
    expect(await lesson("L-2")).toMatchObject({ text: "Invite housing earlier", source: null, status: "proposed" });
  });

  it("someone outside the directory cannot propose a lesson, and nothing is written", async () => {
    expect((await h.refused("stranger", "lesson We should meet more")).text).toContain("not in this partnership's directory");
  });

  it.each([
    ["missing text", 'lesson source:"evaluation"', "The text is missing"],
    ["an unknown option", "lesson Meet more often owner:youth", "Unknown option `owner:`"],
  ])("bad input is refused with the usage: %s", async (_label, line, message) => {
    const r = await h.refused("youth", line);
    expect(r.text).toContain(message);
    expect(r.text).toContain('Write it as: lesson <text> [source:"…"]');
  });
});

describe("adopting and verifying a lesson", () => {
  it("only a coordinator adopts a lesson; a partner is refused and nothing changes", async () => {
    expect((await h.refused("officer", 'lesson adopt L-1 procedure:"Minutes within two working days"')).text).toContain("permission");
    expect((await lesson("L-1")).status).toBe("proposed");
  });

  it("adopting needs the procedure to change", async () => {
    const r = await h.refused("coordinator", "lesson adopt L-1");
    expect(r.text).toContain("`procedure:` is missing");
    expect(r.text).toContain('Write it as: lesson adopt L-n procedure:"…"');
  });

  it("a lesson can only be verified once adopted", async () => {
    expect((await h.refused("coordinator", "lesson verify L-1")).text).toContain("only an adopted lesson can be verified");
  });

  it("the coordinator adopts a lesson with its follow-up", async () => {
    h.setNow(new Date("2026-12-01T09:00:00Z"));
    const r = await h.run("coordinator", 'lesson adopt l-1 procedure:"Minutes within two working days"');
    expect(r.text).toContain("Lesson L-1 adopted.");
    expect(await lesson("L-1")).toMatchObject({
      status: "adopted",
      followUp: "Minutes within two working days",
      adoptedBy: await memberId("coordinator"),
      adoptedAt: new Date("2026-12-01T09:00:00Z"),
    });
  });

  it("a lesson already adopted cannot be adopted again, and nothing changes", async () => {
    expect((await h.refused("coordinator", 'lesson adopt L-1 procedure:"Something else"')).text).toContain("L-1 is already adopted");
    expect((await lesson("L-1")).followUp).toBe("Minutes within two working days");
  });

  it("only a coordinator verifies; then the lesson is verified, once", async () => {
    await h.refused("youth", "lesson verify L-1");
    const r = await h.run("coordinator", "lesson verify L-1");
    expect(r.text).toContain("Lesson L-1 verified");
    expect((await lesson("L-1")).status).toBe("verified");
    expect((await h.refused("coordinator", "lesson verify L-1")).text).toContain("L-1 is verified");
    expect((await h.refused("coordinator", 'lesson adopt L-1 procedure:"x"')).text).toContain("L-1 is already verified");
  });

  it("unknown and malformed lesson refs are refused", async () => {
    expect((await h.refused("coordinator", "lesson verify L-99")).text).toContain("no lesson L-99");
    const r = await h.refused("coordinator", 'lesson adopt T-1 procedure:"x"');
    expect(r.text).toContain("must be one lesson ref");
  });
});

describe("listing lessons", () => {
  it("any member lists the lessons by status: proposed, adopted, verified", async () => {
    await h.run("teacher", "lesson Share school attendance data monthly");
    await h.run("coordinator", 'lesson adopt L-3 procedure:"Attendance report to the partnership each month"');
    const r = await h.run("nurse", "lesson list");
    expect(r.visibility).toBe("private");
    const lines = r.text.split("\n");
    expect(lines).toEqual([
      "Lessons learnt",
      "Proposed",
      "• L-2 Invite housing earlier",
      "Adopted",
      "• L-3 Share school attendance data monthly · procedure: Attendance report to the partnership each month",
      "Verified",
      "• L-1 Minutes reached partners too late to act on · source: review of CASE-1 · procedure: Minutes within two working days",
    ]);
  });

  it("strangers cannot list lessons", async () => {
    await h.refused("stranger", "lesson list");
  });
});
