import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { infoRequests, members, partnerships, scheduledJobs } from "../src/db/schema.js";
import { runDueCaseworkJobs } from "../src/modules/casework/run-jobs.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

// Monday 2026-11-30, 10:00 London: friday is 2026-12-04.
const MONDAY = new Date("2026-11-30T10:00:00Z");

let h: Harness;
let kase: Awaited<ReturnType<typeof givenCase>>;

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  kase = await givenCase(h, { core: ["officer", "teacher"], adHoc: [{ handle: "nurse", until: new Date("2026-12-31T00:00:00Z") }] });
});
afterAll(async () => {
  await h.close();
});

const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];
const request = async (ref: string) => {
  const [r] = await h.db.select().from(infoRequests).where(and(eq(infoRequests.partnershipId, h.demo.partnershipId), eq(infoRequests.refNo, Number(ref.slice(2)))));
  return r!;
};
const memberId = async (handle: string) => (await h.db.select().from(members).where(eq(members.platformUserId, handle)))[0]!.id;
const lastAudit = async () => (await h.db.select().from(auditEvents).where(eq(auditEvents.chain, h.demo.partnershipId)).orderBy(desc(auditEvents.id)).limit(1))[0]!;
const refOf = (text: string) => /Information request (R-\d+)/.exec(text)![1]!;

/** Run a command that must be refused, privately, and prove it changed nothing. */
async function refused(user: string, line: string, room: string | null = h.ROOMS.partnership) {
  const before = await h.snapshot();
  const r = await h.run(user, line, room);
  expect(r.visibility, r.text).toBe("private");
  expect(r.doc.tone, r.text).toBe("error");
  expect(await h.snapshot()).toEqual(before);
  return r;
}

async function ask(what: string, due = "friday") {
  return refOf((await h.run("officer", `share request agency:social-care "${what}" due:${due}`, kase.roomId)).text);
}

describe("asking an agency for information", () => {
  it("a core participant asks one agency by a due date; the room sees it and the agency's contact is told privately", async () => {
    const r = await h.run("officer", 'share request agency:social-care "Any previous involvement with the family" due:friday', kase.roomId);
    expect(r.visibility).toBe("room");
    expect(r.text).toContain(`Information request R-1 (${kase.ref}) sent to Children's Social Care, due 2026-12-04`);
    expect(await request("R-1")).toMatchObject({
      caseId: kase.caseId,
      what: "Any previous involvement with the family",
      dueOn: "2026-12-04",
      status: "open",
      requestedBy: await memberId("officer"),
      repliedBy: null,
    });
    const dm = dms("social").at(-1)!;
    expect(dm).toContain("Information request R-1 for Children's Social Care");
    expect(dm).toContain(kase.ref);
    expect(dm).toContain("Any previous involvement with the family");
    expect(dm).toContain("share reply R-1 shared basis:");
  });

  it("if the agency's platform is down, the request reaches them on a retry", async () => {
    const before = dms("social").length;
    h.rooms.failNext = new Error("platform down");
    const ref = await ask("Contact history with the youth offending team");
    expect(dms("social")).toHaveLength(before);
    const [job] = await h.db.select().from(scheduledJobs).where(eq(scheduledJobs.uniqueKey, `casework.share-request:${(await request(ref)).id}`));
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "Error: platform down" });
    h.setNow(new Date(MONDAY.getTime() + 5 * 60_000));
    try {
      await runDueCaseworkJobs(h.deps);
    } finally {
      h.setNow(MONDAY);
    }
    expect(dms("social").at(-1)).toContain(`Information request ${ref} for Children's Social Care`);
    await h.run("social", `share reply ${ref} declined`);
  });

  it("an ad-hoc participant, a member outside the case and someone outside the directory cannot ask, and nothing is written", async () => {
    expect((await refused("nurse", 'share request agency:police "x" due:friday', kase.roomId)).text).toContain("permission");
    expect((await refused("social", `share request agency:police "x" due:friday case:${kase.ref}`)).text).toContain("not a participant");
    expect((await refused("stranger", 'share request agency:police "x" due:friday', kase.roomId)).text).toContain("not in this partnership's directory");
  });

  it("a past due date, an unknown agency, an agency nobody answers for, or a missing question are refused with the usage", async () => {
    expect((await refused("officer", 'share request agency:social-care "x" due:2026-11-01', kase.roomId)).text).toContain("in the past");
    expect((await refused("officer", 'share request agency:fire-brigade "x" due:friday', kase.roomId)).text).toContain('No agency called "fire-brigade"');
    expect((await refused("officer", 'share request agency:youth-work "x" due:friday', kase.roomId)).text).toContain("No one currently holds a single-point-of-contact role in: Northfield Youth Service");
    expect((await refused("officer", "share request agency:social-care due:friday", kase.roomId)).text).toContain("Write it as: share request");
  });
});

describe("answering: shared or declined, who answered, on which basis", () => {
  it("the asked agency shares on a basis from the partnership's jurisdiction profile; the room and the requester are told", async () => {
    const r = await h.run("social", "share reply R-1 shared basis:public-task");
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("R-1 (CASE-1): Children's Social Care shared the information (Sam Social (demo)). Basis: Public task (UK GDPR Art. 6(1)(e)");
    expect(await request("R-1")).toMatchObject({
      status: "shared",
      repliedBy: await memberId("social"),
      legalBasis: "Public task (UK GDPR Art. 6(1)(e); Data Protection Act 2018 s. 8)",
      repliedAt: MONDAY,
    });
    expect(h.rooms.room(kase.roomId).messages.at(-1)).toContain("R-1 (CASE-1): Children's Social Care shared the information");
    expect(dms("officer").at(-1)).toContain("Basis: Public task");
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "share reply", object: "R-1", outcome: "accepted" });
    expect(audit.detail).toEqual({ case: "CASE-1", status: "shared", basis: "public-task" });
  });

  it("another agency cannot answer for it, and a request is answered only once", async () => {
    const other = await ask("School attendance this term");
    expect((await refused("teacher", `share reply ${other} shared basis:public-task`)).text).toContain("asked of another agency");
    expect((await refused("social", "share reply R-1 declined")).text).toContain("R-1 was already answered (shared) by Sam Social (demo) on 2026-11-30");
    expect((await refused("social", "share reply R-99 shared basis:public-task")).text).toContain("no information request R-99");
    expect((await refused("social", "share reply R-1 maybe")).text).toContain("must be shared or declined");
  });

  it("sharing needs a basis; a mistyped code is refused with the codes that exist; a basis in words is kept as written", async () => {
    const ref = await ask("Housing history");
    expect((await refused("social", `share reply ${ref} shared`)).text).toContain("Sharing needs its legal basis: add basis:<code> (consent, public-task");
    expect((await refused("social", `share reply ${ref} shared basis:pubic-task`)).text).toContain('"pubic-task" is not a lawful basis in the United Kingdom');
    await h.run("social", `share reply ${ref} shared basis:"Local information sharing agreement 2025, clause 4"`);
    expect((await request(ref)).legalBasis).toBe("Local information sharing agreement 2025, clause 4");
    expect((await lastAudit()).detail).toMatchObject({ basis: "in-words" });
  });

  it("consent is a basis only while consent is given", async () => {
    const ref = await ask("Health visitor notes");
    expect((await refused("social", `share reply ${ref} shared basis:consent`)).text).toContain("the case's consent is pending");
    await h.run("officer", "consent given by:parent", kase.roomId);
    await h.run("social", `share reply ${ref} shared basis:consent`);
    expect((await request(ref)).legalBasis).toContain("Consent of the person");
  });

  it("a request may be declined, with who declined it; grounds are optional", async () => {
    const ref = await ask("Sibling's records");
    const r = await h.run("social", `share reply ${ref} declined`);
    expect(r.text).toContain("Children's Social Care declined to share (Sam Social (demo))");
    expect(await request(ref)).toMatchObject({ status: "declined", legalBasis: null, repliedBy: await memberId("social") });
  });

  it("a coordinator may answer on the agency's behalf", async () => {
    const ref = await ask("Previous referrals");
    await h.run("coordinator", `share reply ${ref} shared basis:safeguarding`);
    expect(await request(ref)).toMatchObject({ status: "shared", repliedBy: await memberId("coordinator") });
  });
});

describe("listing and chasing requests", () => {
  it("in the case, every request with its state; elsewhere, what is waiting on your agency", async () => {
    const open = await ask("Family support plan");
    const inCase = await h.run("teacher", "share list", kase.roomId);
    expect(inCase.text).toContain("Information requests of CASE-1");
    expect(inCase.text).toContain("R-1 Children's Social Care: Any previous involvement with the family — due 2026-12-04, shared; basis: Public task");
    expect(inCase.text).toContain(`${open} Children's Social Care: Family support plan — due 2026-12-04, open`);
    const mine = await h.run("social", "share list");
    expect(mine.text).toContain("Open information requests");
    expect(mine.text).toContain(`${open} (CASE-1) Children's Social Care: Family support plan`);
    expect(mine.text).not.toContain("R-1 ");
    expect((await h.run("teacher", "share list")).text).toContain("None.");
  });

  it("an unanswered request reminds the asked agency and the requester the morning after it was due; an answered one does not", async () => {
    const socialBefore = dms("social").length;
    h.setNow(new Date("2026-12-05T10:00:00Z"));
    try {
      await runDueCaseworkJobs(h.deps);
      const reminders = dms("social").slice(socialBefore);
      expect(reminders.filter((m) => m.includes("is overdue"))).toHaveLength(2); // "School attendance" was asked of social care too, and the last one
      expect(dms("officer").at(-1)).toContain("was due 2026-12-04 and has no answer yet");
      expect(reminders.join("\n")).not.toContain("R-1 ");
      expect((await h.run("coordinator", "case info", kase.roomId)).text).toMatch(/asked of Children's Social Care, due 2026-12-04 \(OVERDUE\)/);
    } finally {
      h.setNow(MONDAY);
    }
  });

  it("the jurisdiction profile is the partnership's: a French partnership picks French bases", async () => {
    await h.db.update(partnerships).set({ jurisdiction: "fr" }).where(eq(partnerships.id, h.demo.partnershipId));
    try {
      const ref = await ask("Suivi éducatif");
      expect((await refused("social", `share reply ${ref} shared basis:safeguarding`)).text).toContain("not a lawful basis in the France profile");
      await h.run("social", `share reply ${ref} shared basis:clspd`);
      expect((await request(ref)).legalBasis).toBe("Exchange within the crime-prevention council's thematic groups (CLSPD/CISPD) (Code de la sécurité intérieure, art. L. 132-5)");
    } finally {
      await h.db.update(partnerships).set({ jurisdiction: "uk" }).where(eq(partnerships.id, h.demo.partnershipId));
    }
  });
});
