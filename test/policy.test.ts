import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { authorise, POLICY, type Relation } from "../src/commands/policy.js";
import { givenCase } from "./support/fixtures.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The authorisation policy as a table: every command × every kind of actor ×
 * where it is used. Expectations are written out here from the specification,
 * not derived from the policy code, so a change in the policy shows up as a
 * failing row. A refused command changes nothing but the audit log.
 */

type Who = "coordinator" | "member" | "core" | "adHoc" | "expiredAdHoc" | "nonMember";
const HANDLE: Record<Who, string> = {
  coordinator: "coordinator",
  member: "social", // in the directory, not in the case
  core: "officer", // a core participant
  adHoc: "youth", // ad hoc, until next week
  expiredAdHoc: "nurse", // ad hoc, time ran out
  nonMember: "stranger",
};
const EVERYONE: Who[] = ["coordinator", "member", "core", "adHoc", "expiredAdHoc", "nonMember"];
const MEMBERS: Who[] = ["coordinator", "member", "core", "adHoc", "expiredAdHoc"];
const COORD: Who[] = ["coordinator"];
const CASE_CORE: Who[] = ["coordinator", "core"];
const CASE_PARTICIPANTS: Who[] = ["coordinator", "core", "adHoc"];
const NOBODY: Who[] = [];

type Where = "inCaseRoom" | "withCaseRef" | "elsewhere";

/** Who may run each command, where; and a sample line for it (valid enough to get past the policy). */
const TABLE: Record<string, { line: string; allowed: Record<Where, Who[]> }> = {};
const everywhere = (who: Who[]) => ({ inCaseRoom: who, withCaseRef: who, elsewhere: who });
/** Commands that need a case: nobody may use them without one. */
const inCase = (who: Who[]) => ({ inCaseRoom: who, withCaseRef: who, elsewhere: NOBODY });
/** Commands that work on a case when there is one, and on the partnership otherwise. */
const caseOr = (inCaseWho: Who[], elsewhereWho: Who[]) => ({ inCaseRoom: inCaseWho, withCaseRef: inCaseWho, elsewhere: elsewhereWho });

Object.assign(TABLE, {
  "partner agency add": { line: 'partner agency add "Policy Test Agency" sector:ngo', allowed: everywhere(COORD) },
  "partner agency mandate": { line: 'partner agency mandate "Northfield Homes" goals:"Stable homes"', allowed: everywhere(COORD) },
  "partner role add": { line: 'partner role add agency:housing "Policy test role"', allowed: everywhere(COORD) },
  "partner assign": { line: 'partner assign role:"Youth worker" @youth', allowed: everywhere(COORD) },
  "partner directory": { line: "partner directory", allowed: everywhere(MEMBERS) },
  "partner coverage": { line: "partner coverage", allowed: everywhere(MEMBERS) },
  concern: { line: "concern Policy table sample", allowed: everywhere(MEMBERS) },
  "concern list": { line: "concern list", allowed: everywhere(MEMBERS) },
  "concern show": { line: "concern show C-1", allowed: everywhere(COORD) },
  "concern screen": { line: 'concern screen C-999 signposted because:"sample"', allowed: everywhere(COORD) },
  "case open": { line: "case open C-999 lead:police", allowed: everywhere(COORD) },
  "case list": { line: "case list", allowed: everywhere(MEMBERS) },
  "case info": { line: "case info", allowed: inCase(CASE_PARTICIPANTS) },
  "case stage": { line: "case stage support", allowed: inCase(CASE_CORE) },
  "case risk": { line: "case risk high", allowed: inCase(CASE_CORE) },
  "case review": { line: "case review every:4w", allowed: inCase(CASE_CORE) },
  "case invite": { line: "case invite @officer", allowed: inCase(CASE_CORE) },
  "case remove": { line: "case remove @teacher", allowed: inCase(CASE_CORE) },
  "case hold": { line: "case hold on", allowed: inCase(COORD) },
  "case close": { line: "case close", allowed: inCase(COORD) },
  decision: { line: "decision Policy sample decision", allowed: caseOr(CASE_CORE, COORD) },
  "decision list": { line: "decision list", allowed: caseOr(CASE_PARTICIPANTS, COORD) },
  task: { line: "task Policy sample @officer due:tomorrow", allowed: caseOr(CASE_CORE, COORD) },
  "task done": { line: "task done T-999", allowed: everywhere(MEMBERS) },
  "task list": { line: "task list", allowed: caseOr(CASE_PARTICIPANTS, MEMBERS) },
  lesson: { line: "lesson Policy sample lesson", allowed: everywhere(MEMBERS) },
  "lesson adopt": { line: 'lesson adopt L-999 procedure:"x"', allowed: everywhere(COORD) },
  "lesson verify": { line: "lesson verify L-999", allowed: everywhere(COORD) },
  "lesson list": { line: "lesson list", allowed: everywhere(MEMBERS) },
  "share request": { line: 'share request agency:social-care "Policy sample" due:friday', allowed: inCase(CASE_CORE) },
  "share reply": { line: "share reply R-999 shared basis:public-task", allowed: everywhere(MEMBERS) },
  "share list": { line: "share list", allowed: caseOr(CASE_PARTICIPANTS, MEMBERS) },
  consent: { line: "consent given by:self", allowed: inCase(CASE_CORE) },
  "plan add": { line: 'plan add "Policy sample" owner:police sessions:4', allowed: inCase(CASE_CORE) },
  "plan session": { line: "plan session P-999 delivered", allowed: inCase(CASE_PARTICIPANTS) },
  "plan complete": { line: "plan complete P-999", allowed: inCase(CASE_CORE) },
  "plan stop": { line: 'plan stop P-999 why:"sample"', allowed: inCase(CASE_CORE) },
  "plan list": { line: "plan list", allowed: inCase(CASE_PARTICIPANTS) },
  "partner handover": { line: 'partner handover role:"No such role" @officer @newofficer', allowed: everywhere(COORD) },
  "case escalate": { line: 'case escalate reason:"Policy sample"', allowed: inCase(COORD) },
  "case escalation accept": { line: "case escalation accept E-999", allowed: everywhere(COORD) },
  "case escalation return": { line: 'case escalation return E-999 note:"sample"', allowed: everywhere(COORD) },
  "case escalation list": { line: "case escalation list", allowed: everywhere(COORD) },
  "case exit-review": { line: 'case exit-review CASE-999 answer:"sample"', allowed: everywhere(MEMBERS) },
  "case exit-review list": { line: "case exit-review list", allowed: everywhere(MEMBERS) },
  "checkin schedule": { line: 'checkin schedule "Policy check-in" every:week at:10:00', allowed: everywhere(COORD) },
  "checkin list": { line: "checkin list", allowed: everywhere(MEMBERS) },
  "checkin next": { line: "checkin next", allowed: everywhere(MEMBERS) },
  "checkin agenda": { line: "checkin agenda", allowed: everywhere(MEMBERS) },
  "checkin rsvp": { line: "checkin rsvp yes", allowed: everywhere(MEMBERS) },
  "checkin cancel": { line: "checkin cancel K-999", allowed: everywhere(COORD) },
  "checkin mute": { line: "checkin mute K-999", allowed: everywhere(MEMBERS) },
  "checkin unmute": { line: "checkin unmute K-999", allowed: everywhere(MEMBERS) },
  "checkin attended": { line: "checkin attended K-999 @officer", allowed: everywhere(COORD) },
  help: { line: "help", allowed: everywhere(EVERYONE) },
  "rt help": { line: "rt help", allowed: everywhere(EVERYONE) },
  "rt whoami": { line: "rt whoami", allowed: everywhere(EVERYONE) },
  "rt audit verify": { line: "rt audit verify", allowed: everywhere(COORD) },
  "rt export case": { line: "rt export case", allowed: inCase(COORD) },
  "rt export processing": { line: "rt export processing", allowed: everywhere(COORD) },
  "rt audit export": { line: "rt audit export from:2026-11-01 to:2026-11-30", allowed: everywhere(COORD) },
  "rt retention": { line: "rt retention", allowed: everywhere(COORD) },
});

const POLICY_REASONS = new Set(["not-a-member", "not-permitted", "not-in-case", "no-case"]);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  await h.run("teacher", "concern A concern for the table");
});
afterAll(async () => {
  await h.close();
});

describe("the policy table", () => {
  it("every registered command has a row, and every row a command", () => {
    const paths = h.deps.registry.all().map((d) => d.path.join(" ")).sort();
    expect(Object.keys(TABLE).sort()).toEqual(paths);
  });

  for (const [path, row] of Object.entries(TABLE)) {
    it(`${path}: allowed and refused as specified, and refusals change nothing`, async () => {
      for (const where of ["inCaseRoom", "withCaseRef", "elsewhere"] as Where[]) {
        for (const who of EVERYONE) {
          // A fresh case per row, so an allowed command (close, remove) cannot change later rows' standing.
          const c = await givenCase(h, {
            core: ["officer"],
            adHoc: [
              { handle: "youth", until: new Date("2026-12-07T00:00:00Z") },
              { handle: "nurse", until: new Date("2026-11-29T00:00:00Z") },
            ],
          });
          const room = where === "inCaseRoom" ? c.roomId : h.ROOMS.partnership;
          const line = where === "withCaseRef" && h.deps.registry.match([{ kind: "word", value: path.split(" ")[0]! }])?.def.scope !== "none" ? `${row.line} case:${c.ref}` : row.line;
          const before = await h.snapshot();
          const reply = await h.run(HANDLE[who], line, room);
          const [last] = await h.db
            .select()
            .from(auditEvents)
            .where(and(eq(auditEvents.chain, h.demo.partnershipId)))
            .orderBy(desc(auditEvents.id))
            .limit(1);
          const lastSystem = await h.db.select().from(auditEvents).where(eq(auditEvents.chain, 0)).orderBy(desc(auditEvents.id)).limit(1);
          const event = [last, lastSystem[0]].filter(Boolean).sort((a, b) => b!.at.getTime() - a!.at.getTime() || b!.id - a!.id)[0]!;
          const refusedByPolicy = event.outcome === "refused" && POLICY_REASONS.has(String(event.detail?.["reason"]));
          const expected = row.allowed[where].includes(who);
          expect(refusedByPolicy, `${who} ${where}: "${line}" → ${reply.text.slice(0, 120)}`).toBe(!expected);
          if (refusedByPolicy) {
            expect(reply.visibility).toBe("private");
            expect(await h.snapshot(), `${who} ${where}: "${line}" changed data`).toEqual(before);
          }
        }
      }
    });
  }
});

describe("the policy function", () => {
  const rel = (...r: Relation[]) => new Set<Relation>(r);
  it("a case in scope is never a way in for someone outside it, whatever the permission", () => {
    for (const p of Object.keys(POLICY) as Array<keyof typeof POLICY>) {
      expect(authorise(p, { relations: rel("member"), caseInScope: true }).allowed).toBe(false);
      expect(authorise(p, { relations: rel("non-member"), caseInScope: true })).toEqual({ allowed: false, reason: "not-a-member" });
    }
  });
  it("a coordinator sees every case of the partnership", () => {
    expect(authorise("case-core", { relations: rel("coordinator", "member"), caseInScope: true }).allowed).toBe(true);
  });
});
