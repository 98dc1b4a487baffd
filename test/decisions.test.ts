import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cases, decisions, members } from "../src/db/schema.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
let kase: Awaited<ReturnType<typeof givenCase>>;
let expired: Awaited<ReturnType<typeof givenCase>>;

beforeAll(async () => {
  h = await createHarness();
  kase = await givenCase(h, { core: ["officer", "teacher"], adHoc: [{ handle: "nurse", until: new Date("2026-12-31T00:00:00Z") }] });
  expired = await givenCase(h, { core: ["officer"], adHoc: [{ handle: "social", until: new Date("2026-11-01T00:00:00Z") }] });
});
afterAll(async () => {
  await h.close();
});

async function memberId(handle: string) {
  const [m] = await h.db.select().from(members).where(and(eq(members.partnershipId, h.demo.partnershipId), eq(members.platformUserId, handle)));
  return m!.id;
}

async function decision(ref: string) {
  const [d] = await h.db.select().from(decisions).where(and(eq(decisions.partnershipId, h.demo.partnershipId), eq(decisions.refNo, Number(ref.slice(2)))));
  return d;
}

describe("recording a decision", () => {
  it("a core participant records a decision in the case room, seen by the room, with the agencies present", async () => {
    const r = await h.run("officer", 'decision Offer mentoring through the youth service because:"engagement at school is dropping" basis:"public task, Art 6(1)(e)"', kase.roomId);
    expect(r.visibility).toBe("room");
    expect(r.text).toContain("Decision D-1 recorded.");
    expect(r.text).toContain("Decision: Offer mentoring through the youth service");
    expect(r.text).toContain("supersedes:D-1");
    const d = await decision("D-1");
    expect(d).toMatchObject({
      caseId: kase.caseId,
      text: "Offer mentoring through the youth service",
      rationale: "engagement at school is dropping",
      legalBasis: "public task, Art 6(1)(e)",
      supersedesId: null,
      recordedBy: await memberId("officer"),
    });
    // The active ad-hoc participant's agency counts; the case is coordinator, police, education and health.
    expect(d!.agenciesPresent).toEqual(["Northfield Academy", "Northfield Council", "Northfield Health", "Northfield Police"]);
  });

  it("an expired ad-hoc participant's agency is not recorded as present", async () => {
    await h.run("officer", "decision Ask the school for attendance records", expired.roomId);
    const [d] = await h.db.select().from(decisions).where(eq(decisions.caseId, expired.caseId));
    expect(d!.agenciesPresent).toEqual(["Northfield Council", "Northfield Police"]);
  });

  it("from outside the case room with case:CASE-n the decision is recorded but confirmed privately", async () => {
    const r = await h.run("teacher", `decision Review attendance weekly case:${kase.ref}`);
    expect(r.visibility).toBe("private");
    expect(r.text).toMatch(/Decision D-\d+ recorded\./);
    const rows = await h.db.select().from(decisions).where(eq(decisions.caseId, kase.caseId));
    expect(rows.map((x) => x.text)).toContain("Review attendance weekly");
  });

  it("the coordinator records a partnership-level decision outside any case", async () => {
    const r = await h.run("coordinator", 'decision Meet on the first Tuesday of each month because:"members asked for a fixed day"');
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("Case: partnership-level");
    const rows = await h.db.select().from(decisions).where(eq(decisions.text, "Meet on the first Tuesday of each month"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ caseId: null, recordedBy: await memberId("coordinator"), agenciesPresent: ["Northfield Council"] });
  });

  it("a closed case takes no more decisions", async () => {
    const closed = await givenCase(h, { core: ["officer"] });
    await h.db.update(cases).set({ closedAt: new Date("2026-11-29T10:00:00Z"), stage: "closed" }).where(eq(cases.id, closed.caseId));
    const r = await h.refused("officer", "decision Reopen the file", closed.roomId);
    expect(r.text).toContain(`${closed.ref} is closed`);
  });
});

describe("who may record a decision", () => {
  it("a partner who is not the coordinator cannot record a partnership-level decision, and nothing is written", async () => {
    const r = await h.refused("officer", "decision Change the meeting day");
    expect(r.text).toContain("permission");
  });

  it("an ad-hoc participant cannot record a decision, and nothing is written", async () => {
    const r = await h.refused("nurse", "decision Refer to CAMHS", kase.roomId);
    expect(r.text).toContain("permission");
  });

  it("an ad-hoc participant whose time has run out cannot record a decision, and nothing is written", async () => {
    const r = await h.refused("social", "decision Close the case", expired.roomId);
    expect(r.text).toContain("not a participant");
  });

  it("an agency member outside the case cannot record a decision with case:CASE-n, and nothing is written", async () => {
    const r = await h.refused("youth", `decision Offer mentoring case:${kase.ref}`);
    expect(r.text).toContain("not a participant");
  });

  it("someone outside the directory cannot record a decision, and nothing is written", async () => {
    const r = await h.refused("stranger", "decision Anything at all", kase.roomId);
    expect(r.text).toContain("not in this partnership's directory");
  });
});

describe("bad input is refused with the usage", () => {
  it.each([
    ["missing text", 'decision because:"no reason"', "The text is missing"],
    ["an unknown option", "decision Offer mentoring when:friday", "Unknown option `when:`"],
    ["empty quoted text", 'decision "" because:"no reason"', "The text is missing"],
    ["a mention", "decision Offer mentoring @youth", "does not take a mention"],
  ])("%s", async (_label, line, message) => {
    const r = await h.refused("officer", line, kase.roomId);
    expect(r.text).toContain(message);
    expect(r.text).toContain('Write it as: decision <text> [because:"…"] [basis:"…"] [supersedes:D-n]');
  });
});

describe("decisions are immutable; corrections supersede", () => {
  it("there is no command to edit or delete a decision", () => {
    const paths = h.deps.registry.under("decision").map((d) => d.path.join(" "));
    expect(paths.sort()).toEqual(["decision", "decision list"]);
  });

  it("trying to edit a decision is refused with how to correct it, and nothing is written", async () => {
    const r = await h.refused("officer", 'decision edit D-1 "Offer mentoring twice a week"', kase.roomId);
    expect(r.text).toContain("cannot be edited or deleted");
    expect(r.text).toContain("supersedes:D-1");
    const r2 = await h.refused("officer", "decision delete D-1", kase.roomId);
    expect(r2.text).toContain("cannot be edited or deleted");
  });

  it("a correction supersedes, and corrections chain", async () => {
    const r2 = await h.run("officer", "decision Offer mentoring twice a week supersedes:D-1", kase.roomId);
    expect(r2.text).toContain("Supersedes: D-1");
    const ref2 = /Decision (D-\d+) recorded/.exec(r2.text)![1]!;
    const r3 = await h.run("teacher", `decision Offer mentoring three times a week supersedes:${ref2.toLowerCase()}`, kase.roomId);
    const ref3 = /Decision (D-\d+) recorded/.exec(r3.text)![1]!;
    const [d1, d2, d3] = [await decision("D-1"), await decision(ref2), await decision(ref3)];
    expect(d2!.supersedesId).toBe(d1!.id);
    expect(d3!.supersedesId).toBe(d2!.id);
    // The original is untouched.
    expect(d1!.text).toBe("Offer mentoring through the youth service");

    const list = await h.run("nurse", "decision list", kase.roomId);
    expect(list.text).toContain(`D-1 (2026-11-30) Offer mentoring through the youth service · because: engagement at school is dropping · basis: public task, Art 6(1)(e) · recorded by Olu Officer (demo) · SUPERSEDED by ${ref2}`);
    expect(list.text).toContain(`${ref2} (2026-11-30) Offer mentoring twice a week · recorded by Olu Officer (demo) · supersedes D-1 · SUPERSEDED by ${ref3}`);
    expect(list.text).toContain(`${ref3} (2026-11-30) Offer mentoring three times a week · recorded by Tess Teacher (demo) · supersedes ${ref2}`);
  });

  it("a decision that is already superseded cannot be superseded again, and nothing is written", async () => {
    const r = await h.refused("officer", "decision Offer nothing supersedes:D-1", kase.roomId);
    expect(r.text).toContain("D-1 has already been superseded by");
  });

  it("a decision of another case, or a partnership-level one, cannot be superseded from this case", async () => {
    const [other] = await h.db.select().from(decisions).where(eq(decisions.caseId, expired.caseId));
    const r = await h.refused("officer", `decision Something else supersedes:D-${other!.refNo}`, kase.roomId);
    expect(r.text).toContain("belongs to another case");
    const [level] = await h.db.select().from(decisions).where(eq(decisions.text, "Meet on the first Tuesday of each month"));
    await h.refused("officer", `decision Something else supersedes:D-${level!.refNo}`, kase.roomId);
  });

  it("an unknown or malformed decision ref is refused", async () => {
    expect((await h.refused("officer", "decision X supersedes:D-999", kase.roomId)).text).toContain("no decision D-999");
    expect((await h.refused("officer", "decision X supersedes:CASE-1", kase.roomId)).text).toContain("not a decision ref");
  });

  it("the coordinator can supersede a partnership-level decision outside a case", async () => {
    const [level] = await h.db.select().from(decisions).where(eq(decisions.text, "Meet on the first Tuesday of each month"));
    const r = await h.run("coordinator", `decision Meet on the second Tuesday supersedes:D-${level!.refNo}`);
    expect(r.text).toContain(`Supersedes: D-${level!.refNo}`);
  });
});

describe("listing decisions", () => {
  it("lists the case's decisions privately, to any participant", async () => {
    const r = await h.run("teacher", "decision list", kase.roomId);
    expect(r.visibility).toBe("private");
    expect(r.text).toContain(`Decisions of ${kase.ref}`);
    expect(r.text).toContain("Review attendance weekly");
    expect(r.text).not.toContain("Meet on the");
    expect(r.text).not.toContain("attendance records");
  });

  it("outside a case the coordinator lists the partnership-level decisions", async () => {
    const r = await h.run("coordinator", "decision list");
    expect(r.text).toContain("Partnership-level decisions");
    expect(r.text).toContain("Meet on the first Tuesday of each month");
    expect(r.text).toContain("Meet on the second Tuesday");
    expect(r.text).not.toContain("mentoring");
  });

  it("a partner cannot list partnership-level decisions, nor those of a case they are not in", async () => {
    await h.refused("officer", "decision list");
    await h.refused("youth", `decision list case:${kase.ref}`);
    await h.refused("social", "decision list", expired.roomId);
    await h.refused("stranger", "decision list", kase.roomId);
  });
});
