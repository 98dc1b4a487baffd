import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { cases, infoRequests, members } from "../src/db/schema.js";
import { dayRange, type AuditExport } from "../src/modules/dataprotection/audit-export.js";
import type { CaseRecord } from "../src/modules/dataprotection/case-record.js";
import type { ProcessingRecord } from "../src/modules/dataprotection/processing.js";
import { runRetention } from "../src/modules/dataprotection/retention.js";
import { createKeyring } from "../src/security/crypto.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * Exports for coordinators: a case's full record (JSON and a readable HTML
 * page), the record of processing, the audit trail for a range. Each goes to
 * the coordinator who asked, privately, and is audited.
 */

let h: Harness;
let pid: number;
const lastAttachment = () => h.rooms.attachments.at(-1)!;
const roomMessageCount = () => [...h.rooms.rooms.values()].reduce((n, r) => n + r.messages.length, 0);

beforeAll(async () => {
  h = await createHarness();
  pid = h.demo.partnershipId;
  await h.run("teacher", 'concern Pupil talks about joining a group online name:"Ali Khan" dob:2009-05-06 urgency:high age:14-17');
  await h.run("coordinator", "case open C-1 lead:police with:education", "triage");
  await h.run("officer", 'decision Refer to the <script>alert(1)</script> panel because:"isolation" basis:"public task"', "room-case-0001");
  await h.run("officer", "task Meet the family @teacher due:friday", "room-case-0001");
  const [k] = await h.db.select().from(cases).where(eq(cases.refNo, 1));
  const [coord] = await h.db.select().from(members).where(and(eq(members.partnershipId, pid), eq(members.platformUserId, "coordinator")));
  await h.db.insert(infoRequests).values({ partnershipId: pid, refNo: 1, caseId: k!.id, agencyId: k!.leadAgencyId, what: "Police records", dueOn: "2026-12-10", status: "shared", requestedBy: coord!.id, repliedBy: coord!.id, legalBasis: "Public Task" });
});
afterAll(async () => {
  await h.close();
});

describe("rt export case", () => {
  it("sends the case's full record as JSON to the coordinator privately, and to no room", async () => {
    const rooms = roomMessageCount();
    const r = await h.run("coordinator", "rt export case case:CASE-1");
    expect(r.visibility).toBe("private");
    expect(r.text).toMatch(/Sent to you privately: demo-CASE-1-record\.json/);
    const a = lastAttachment();
    expect(a.to).toBe("coordinator");
    expect(a.attachment.contentType).toBe("application/json");
    const rec = JSON.parse(a.attachment.content) as CaseRecord;
    expect(rec.case).toMatchObject({ ref: "CASE-1", leadAgency: "Northfield Police", stage: "assessment", legalHold: false });
    expect(rec.concerns[0]).toMatchObject({ ref: "C-1", summary: "Pupil talks about joining a group online", ageBand: "14-17", status: "accepted", screeningRationale: "Opened as CASE-1" });
    expect(rec.decisions[0]).toMatchObject({ ref: "D-1", rationale: "isolation", legalBasis: "public task", recordedBy: "Olu Officer (demo)" });
    expect(rec.tasks[0]).toMatchObject({ ref: "T-1", text: "Meet the family", assignee: "Tess Teacher (demo)", status: "open" });
    expect(rec.shares[0]).toMatchObject({ ref: "R-1", what: "Police records", status: "shared", legalBasis: "Public Task" });
    expect(rec.participants.map((p) => p.name).sort()).toEqual(["Chris Coordinator (demo)", "Olu Officer (demo)", "Tess Teacher (demo)"]);
    expect(rec.rooms[0]).toMatchObject({ platform: "console", roomId: "room-case-0001" });
    const actions = rec.auditTrail.map((e) => `${e.action} ${e.object}`);
    expect(actions).toEqual(expect.arrayContaining(["concern C-1", "case open CASE-1", "decision D-1", "task T-1"]));
    expect(JSON.stringify(rec)).not.toMatch(/Ali Khan|2009-05-06/); // never stored, so never exported: only keyed hashes exist
    expect(roomMessageCount()).toBe(rooms);
    expect(h.rooms.attachments.filter((x) => h.rooms.rooms.has(x.to))).toEqual([]);
  });

  it("asked in the case room, it still goes privately, and the room sees nothing", async () => {
    const before = h.rooms.room("room-case-0001").messages.length;
    const r = await h.run("coordinator", "rt export case format:html", "room-case-0001");
    expect(r.visibility).toBe("private");
    expect(h.rooms.room("room-case-0001").messages).toHaveLength(before);
    const a = lastAttachment();
    expect(a.to).toBe("coordinator");
    expect(a.attachment.filename).toBe("demo-CASE-1-record.html");
  });

  it("the HTML record is readable, self-contained, and shows markup written by users as text", () => {
    const html = lastAttachment().attachment.content;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<h1>Case record CASE-1<\/h1>/);
    expect(html).toMatch(/Pupil talks about joining a group online/);
    expect(html).toMatch(/Information sharing/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("default-src 'none'");
  });

  it("only a coordinator may export; a partner in the case is refused and nothing is sent", async () => {
    const sent = h.rooms.attachments.length;
    const r = await h.run("officer", "rt export case", "room-case-0001");
    expect(r.text).toMatch(/permission/);
    expect(h.rooms.attachments).toHaveLength(sent);
  });

  it("a bad format is refused with the usage", async () => {
    const r = await h.run("coordinator", "rt export case case:CASE-1 format:pdf");
    expect(r.text).toMatch(/json or html/);
    expect(r.text).toMatch(/rt export case \[case:CASE-n\]/);
  });

  it("every export is audited, with no personal data in the event", async () => {
    const events = await h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, pid), eq(auditEvents.action, "rt export case"), eq(auditEvents.outcome, "accepted")));
    expect(events.map((e) => [e.actor, e.object, e.detail?.["format"]])).toEqual([
      ["console:coordinator", "CASE-1", "json"],
      ["console:coordinator", "CASE-1", "html"],
    ]);
    expect(JSON.stringify(events.map((e) => e.detail))).not.toMatch(/Pupil|Ali|family/);
  });

  it("a field encrypted with a key that is no longer configured is marked unreadable instead of failing the export", async () => {
    const other = createKeyring("an-unconfigured-secret-0123456789-0123456789");
    await h.db.update(cases).set({ outcomeEnc: other.encrypt("x") }).where(eq(cases.refNo, 1));
    await h.run("coordinator", "rt export case case:CASE-1");
    const rec = JSON.parse(lastAttachment().attachment.content) as CaseRecord;
    expect(rec.case.outcome).toMatch(new RegExp(`unreadable: encrypted with key ${other.currentKeyId}`));
    await h.db.update(cases).set({ outcomeEnc: null }).where(eq(cases.refNo, 1));
  });
});

describe("rt export processing", () => {
  it("tells who received what on which basis, the retention periods and the statistics", async () => {
    const r = await h.run("coordinator", "rt export processing");
    expect(r.text).toMatch(/demo-record-of-processing\.json/);
    const a = lastAttachment();
    expect(a.to).toBe("coordinator");
    const rec = JSON.parse(a.attachment.content) as ProcessingRecord;
    expect(rec.controller).toMatchObject({ partnership: "Northfield Prevent Partnership (DEMO)", jurisdiction: "uk", coordinators: ["Chris Coordinator (demo)"], demo: true });
    const police = rec.recipients.find((x) => x.agency === "Northfield Police")!;
    expect(police).toMatchObject({ casesLed: 1, casesParticipated: 1, decisionsPresent: 1, sharesAsked: 1, sharesMade: 1, basesCited: ["Public Task"] });
    expect(rec.recipients.find((x) => x.agency === "Northfield Health")).toMatchObject({ casesParticipated: 0, sharesAsked: 0 });
    // One basis however it was capitalised.
    expect(rec.lawfulBases).toEqual([{ basis: "public task", decisions: 1, shares: 1 }]);
    expect(rec.retention).toMatchObject({ closedCasesMonths: 24, concernsClosedWithoutActionMonths: 6, casesUnderLegalHold: 0 });
    expect(rec.statistics.concernsByStatus).toEqual({ accepted: 1 });
    expect(rec.categories.length).toBeGreaterThanOrEqual(5);
    expect(rec.security.auditTrail.intact).toBe(true);
    expect(JSON.stringify(rec)).not.toMatch(/Pupil talks|Meet the family/);
  });

  it("as HTML, for the data protection officer", async () => {
    await h.run("coordinator", "rt export processing format:html");
    const html = lastAttachment().attachment.content;
    expect(html).toMatch(/Record of processing: Northfield Prevent Partnership \(DEMO\)/);
    expect(html).toMatch(/Recipients by agency/);
    expect(html).toMatch(/Lawful bases used/);
  });

  it("is for coordinators only", async () => {
    const r = await h.run("teacher", "rt export processing");
    expect(r.text).toMatch(/permission/);
  });
});

describe("rt audit export", () => {
  // Audit events carry the real time they were written, not the test's clock.
  const today = new Date().toISOString().slice(0, 10);

  it("sends the partnership's audit trail for the range, with its verification and hashes", async () => {
    const r = await h.run("coordinator", `rt audit export from:2020-01-01 to:${today}`);
    expect(r.text).toMatch(new RegExp(`demo-audit-2020-01-01-${today}\\.json`));
    const x = JSON.parse(lastAttachment().attachment.content) as AuditExport;
    expect(x.chains).toHaveLength(1);
    expect(x.chains[0]!.verification.intact).toBe(true);
    expect(x.chains[0]!.events.length).toBeGreaterThan(5);
    const evs = x.chains[0]!.events;
    for (let i = 1; i < evs.length; i++) if (evs[i]!.seq === evs[i - 1]!.seq + 1) expect(evs[i]!.prevHash).toBe(evs[i - 1]!.hash);
  });

  it("a range is whole days in the partnership's time zone", () => {
    expect(dayRange("2026-07-01", "2026-07-02", "Europe/London")).toEqual({
      start: new Date("2026-06-30T23:00:00.000Z"),
      end: new Date("2026-07-02T22:59:59.999Z"),
    });
  });

  it("a range without events is empty, and a range back to front is refused", async () => {
    await h.run("coordinator", "rt audit export from:2020-12-01 to:2020-12-02");
    expect((JSON.parse(lastAttachment().attachment.content) as AuditExport).chains[0]!.events).toEqual([]);
    const r = await h.run("coordinator", "rt audit export from:2026-12-02 to:2026-12-01");
    expect(r.text).toMatch(/back to front/);
  });
});

describe("rt retention and exports after a purge", () => {
  it("rt retention shows the periods and what would go next", async () => {
    const r = await h.run("coordinator", "rt retention");
    expect(r.text).toMatch(/Closed cases are erased 24 months after closing/);
    expect(r.text).toMatch(/Nothing is past its retention period/);
  });

  it("a purged case's export keeps its refs and dates and says its personal data was erased", async () => {
    await h.run("coordinator", 'case close outcome:"Done"', "room-case-0001");
    await runRetention(h.db, h.deps, { now: new Date("2029-01-01T00:00:00Z") });
    await h.run("coordinator", "rt export case case:CASE-1");
    const rec = JSON.parse(lastAttachment().attachment.content) as CaseRecord;
    expect(rec.case.purgedAt).not.toBeNull();
    expect(rec.concerns[0]).toMatchObject({ ref: "C-1", summary: null, status: "accepted" });
    expect(rec.decisions[0]).toMatchObject({ ref: "D-1", text: null, legalBasis: "public task" });
    const [last] = await h.db.select().from(auditEvents).where(eq(auditEvents.chain, pid)).orderBy(desc(auditEvents.id)).limit(1);
    expect(last!.action).toBe("rt export case");
  });
});
