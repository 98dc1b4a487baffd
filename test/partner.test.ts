import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/audit/audit.sql.js";
import { agencies, members, roleAssignments, roles } from "../src/db/schema.js";
import { RECOMMENDED_SECTORS } from "../src/modules/directory/coverage.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const pid = () => h.demo.partnershipId;

async function agencyRow(name: string) {
  const [a] = await h.db.select().from(agencies).where(and(eq(agencies.partnershipId, pid()), eq(agencies.name, name)));
  return a;
}

async function memberRow(handle: string) {
  const [m] = await h.db.select().from(members).where(and(eq(members.partnershipId, pid()), eq(members.platformUserId, handle)));
  return m;
}

async function roleRow(agencyName: string, title: string) {
  const a = await agencyRow(agencyName);
  const [r] = await h.db.select().from(roles).where(and(eq(roles.agencyId, a!.id), eq(roles.title, title)));
  return r;
}

async function currentHolderOf(roleId: number) {
  const rows = await h.db.select().from(roleAssignments).where(and(eq(roleAssignments.roleId, roleId), isNull(roleAssignments.untilAt)));
  return rows;
}

// Order matters: the demo's coverage is read before any command changes the directory.
describe("the demo partnership's directory and coverage", () => {
  it("coverage lists the sectors present, the recommended sectors missing, and the role nobody holds", async () => {
    const r = await h.run("teacher", "partner coverage");
    expect(r.visibility).toBe("private");
    const line = (label: string) => r.text.split("\n").find((l) => l.startsWith(`${label}:`)) ?? "";
    expect(line("Sectors present")).toBe("Sectors present: police, local-authority, education, health, social-care, youth-work, housing");
    expect(line("Recommended sectors missing")).toBe("Recommended sectors missing: mental-health, community, family-support, probation");
    expect(line("Roles with no holder")).toBe("Roles with no holder: Tenancy support officer (Northfield Homes)");
    expect(line("Agencies where nobody holds a role")).toBe("Agencies where nobody holds a role: Northfield Homes");
    expect(r.text).toContain("DEMO");
  });

  it("the recommended sectors are the wide range the Radicalisation Awareness Network calls for", () => {
    expect([...RECOMMENDED_SECTORS]).toEqual([
      "police", "local-authority", "education", "health", "mental-health", "social-care", "youth-work", "community", "family-support", "probation",
    ]);
  });

  it("any member sees the directory privately: agencies, sectors, goals, roles with SPOC flag and holder, coordinators", async () => {
    const r = await h.run("youth", "partner directory");
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("Northfield Police (police)");
    expect(r.text).toContain("Goals: Assess and reduce risk of harm.");
    expect(r.text).toContain("• Prevent lead (SPOC): Olu Officer (demo)");
    expect(r.text).toContain("• Youth worker: Yan Youth (demo)");
    expect(r.text).toContain("Northfield Homes (housing)");
    expect(r.text).toContain("• Tenancy support officer (SPOC): vacant");
    expect(r.text).toContain("Coordinators: Chris Coordinator (demo)");
  });

  it("someone outside the directory cannot read it, and is told how to join", async () => {
    const r = await h.refused("stranger", "partner directory");
    expect(r.text).toContain("not in this partnership's directory");
    const c = await h.refused("stranger", "partner coverage");
    expect(c.text).toContain("not in this partnership's directory");
  });
});

describe("partner agency add", () => {
  it("a coordinator adds an agency with its sector and mandate", async () => {
    const before = await h.snapshot();
    const r = await h.run(
      "coordinator",
      'partner agency add "Northfield Mosque Forum" sector:community goals:"Community voice in the partnership." tasks:"Attend check-ins." responsibilities:"Community liaison."',
    );
    expect(r.text).toContain('Agency "Northfield Mosque Forum" added.');
    expect(r.text).toContain("Sector: community");
    expect(r.text).toContain('partner role add agency:"Northfield Mosque Forum"');
    const a = await agencyRow("Northfield Mosque Forum");
    expect(a).toMatchObject({
      sector: "community",
      goals: "Community voice in the partnership.",
      tasks: "Attend check-ins.",
      responsibilities: "Community liaison.",
    });
    expect(await h.snapshot()).toEqual({ ...before, agencies: before.agencies! + 1 });
  });

  it("the mandate is optional and the sector may be written in capitals", async () => {
    const r = await h.run("coordinator", 'partner agency add "Northfield Probation" sector:Probation');
    expect(r.text).toContain("added");
    expect(await agencyRow("Northfield Probation")).toMatchObject({ sector: "probation", goals: null, tasks: null, responsibilities: null });
    expect(r.text).toContain("Goals: not set");
  });

  it("an unknown sector is refused, listing the valid ones, with the usage", async () => {
    const r = await h.refused("coordinator", 'partner agency add "Northfield Rugby Club" sector:rugby');
    expect(r.text).toContain("`sector:` must be one of:");
    expect(r.text).toContain("mental-health");
    expect(r.text).toContain("family-support");
    expect(r.text).toContain('Write it as: partner agency add "<name>" sector:<sector>');
  });

  it("a missing sector is refused with the usage", async () => {
    const r = await h.refused("coordinator", 'partner agency add "Northfield Rugby Club"');
    expect(r.text).toContain("`sector:` is missing");
    expect(r.text).toContain("Write it as: partner agency add");
  });

  it("a missing name is refused with the usage", async () => {
    const r = await h.refused("coordinator", "partner agency add sector:sports");
    expect(r.text).toContain("(the agency's name) is missing");
    expect(r.text).toContain("Write it as: partner agency add");
  });

  it("a name already taken, in any case, is refused and names the existing agency", async () => {
    const r = await h.refused("coordinator", 'partner agency add "northfield POLICE" sector:police');
    expect(r.text).toContain('There is already an agency called "Northfield Police"');
    expect(r.text).toContain("Write it as: partner agency add");
  });

  it("an unknown option is refused rather than ignored", async () => {
    const r = await h.refused("coordinator", 'partner agency add "Northfield Gym" sector:sports colour:blue');
    expect(r.text).toContain("Unknown option `colour:`");
  });
});

describe("partner agency mandate", () => {
  it("a coordinator changes the parts of a mandate they name; the others stay", async () => {
    const before = await h.snapshot();
    const r = await h.run("coordinator", 'partner agency mandate "Northfield Homes" tasks:"Tenancy sustainment visits." goals:"Nobody at risk loses their home."');
    expect(r.text).toContain('Mandate of "Northfield Homes" updated.');
    expect(r.text).toContain("Tasks: Tenancy sustainment visits.");
    expect(await agencyRow("Northfield Homes")).toMatchObject({
      goals: "Nobody at risk loses their home.",
      tasks: "Tenancy sustainment visits.",
      responsibilities: "Tenancy support.",
    });
    expect(await h.snapshot()).toEqual(before);
  });

  it("the agency may be named by its sector where it is the only one", async () => {
    await h.run("coordinator", 'partner agency mandate youth-work responsibilities:"Mentoring, detached youth work, holiday programmes."');
    expect((await agencyRow("Northfield Youth Service"))!.responsibilities).toBe("Mentoring, detached youth work, holiday programmes.");
  });

  it("with nothing to change it says what to give, with the usage", async () => {
    const r = await h.refused("coordinator", 'partner agency mandate "Northfield Homes"');
    expect(r.text).toContain('Say what to change: goals:"…"');
    expect(r.text).toContain("Write it as: partner agency mandate");
  });

  it("a missing agency is refused with the usage", async () => {
    const r = await h.refused("coordinator", 'partner agency mandate goals:"Everything."');
    expect(r.text).toContain("(the agency's name, or its sector where it is the only one) is missing");
    expect(r.text).toContain("Write it as: partner agency mandate");
  });

  it("an unknown agency is refused, listing the agencies there are", async () => {
    const r = await h.refused("coordinator", 'partner agency mandate "Northfield Zoo" goals:"Animals."');
    expect(r.text).toContain('No agency called "Northfield Zoo"');
    expect(r.text).toContain('"Northfield Police"');
    expect(r.text).toContain("Write it as: partner agency mandate");
  });
});

describe("partner role add", () => {
  it("a coordinator adds a single-point-of-contact role to an agency named in full", async () => {
    const before = await h.snapshot();
    const r = await h.run("coordinator", 'partner role add agency:"Northfield Mosque Forum" "Community liaison" spoc');
    expect(r.text).toContain('Role "Community liaison" added to "Northfield Mosque Forum" as its single point of contact (SPOC).');
    expect(await roleRow("Northfield Mosque Forum", "Community liaison")).toMatchObject({ spoc: true });
    expect(await h.snapshot()).toEqual({ ...before, roles: before.roles! + 1 });
  });

  it("an agency may be named by its sector, and a role without spoc is not a SPOC", async () => {
    const r = await h.run("coordinator", 'partner role add agency:police "Intelligence officer"');
    expect(r.text).toContain('Role "Intelligence officer" added to "Northfield Police".');
    expect(await roleRow("Northfield Police", "Intelligence officer")).toMatchObject({ spoc: false });
  });

  it("a title the agency already has, in any case, is refused", async () => {
    const r = await h.refused("coordinator", 'partner role add agency:police "prevent LEAD" spoc');
    expect(r.text).toContain('"Northfield Police" already has a role called "Prevent lead"');
    expect(r.text).toContain("Write it as: partner role add");
  });

  it("the same title in another agency is fine", async () => {
    const r = await h.run("coordinator", 'partner role add agency:"Northfield Probation" "Prevent lead" spoc');
    expect(r.text).toContain("added");
  });

  it("an unknown agency is refused with the usage", async () => {
    const r = await h.refused("coordinator", 'partner role add agency:"Northfield Zoo" "Keeper"');
    expect(r.text).toContain('No agency called "Northfield Zoo"');
    expect(r.text).toContain('Write it as: partner role add agency:"<agency>" "<title>" [spoc]');
  });

  it("a missing title is refused with the usage", async () => {
    const r = await h.refused("coordinator", "partner role add agency:police spoc");
    expect(r.text).toContain("(the role's title) is missing");
    expect(r.text).toContain("Write it as: partner role add");
  });

  it("a missing agency is refused with the usage", async () => {
    const r = await h.refused("coordinator", 'partner role add "Keeper"');
    expect(r.text).toContain("`agency:` is missing");
  });
});

describe("partner assign", () => {
  it("assigning a vacant role to someone new adds them to the directory, in the role's agency", async () => {
    const before = await h.snapshot();
    const r = await h.run("coordinator", 'partner assign role:"Tenancy support officer" @hana');
    expect(r.visibility).toBe("private");
    expect(r.text).toContain('@hana now holds "Tenancy support officer" (Northfield Homes).');
    expect(r.text).toContain("joined the directory");
    const m = await memberRow("hana");
    const homes = await agencyRow("Northfield Homes");
    expect(m).toMatchObject({ platform: "console", displayName: "hana", agencyId: homes!.id });
    const role = await roleRow("Northfield Homes", "Tenancy support officer");
    const held = await currentHolderOf(role!.id);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ memberId: m!.id, fromAt: new Date("2026-11-30T10:00:00Z") });
    expect(await h.snapshot()).toEqual({ ...before, members: before.members! + 1, roleAssignments: before.roleAssignments! + 1 });
  });

  it("the new member is welcomed privately with the partnership, their agency and role, and the demo label", () => {
    const msgs = h.rooms.privateMessages.get("hana") ?? [];
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain("Welcome to Northfield Prevent Partnership (DEMO)");
    expect(msgs[0]).toContain("Agency: Northfield Homes");
    expect(msgs[0]).toContain("Role: Tenancy support officer (SPOC)");
    expect(msgs[0]).toContain("DEMO partnership");
    // Nothing about it went to a shared room.
    for (const room of h.rooms.rooms.values()) expect(room.messages.join("\n")).not.toContain("hana");
  });

  it("the new member can then use the bot and sees their agency and role", async () => {
    const r = await h.run("hana", "rt whoami");
    expect(r.text).toContain("Agency: Northfield Homes");
    expect(r.text).toContain("Roles: Tenancy support officer (SPOC)");
    expect(r.text).toContain("Coordinator: no");
    const d = await h.run("hana", "partner directory");
    expect(d.text).toContain("• Tenancy support officer (SPOC): hana");
  });

  it("coverage no longer lists the role once it is held", async () => {
    const r = await h.run("hana", "partner coverage");
    expect(r.text).not.toContain("Tenancy support officer");
    expect(r.text).toContain("Intelligence officer (Northfield Police)");
  });

  it("the audit names the role, never the person's chat id in its detail", async () => {
    const [e] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.action, "partner assign"), eq(auditEvents.outcome, "accepted")));
    expect(e!.object).toBe("Northfield Homes / Tenancy support officer");
    expect(JSON.stringify(e!.detail)).not.toContain("hana");
  });

  it("assigning the same person again is refused as already done", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Tenancy support officer" @hana');
    expect(r.text).toContain('@hana already holds "Tenancy support officer"');
    expect(h.rooms.privateMessages.get("hana")).toHaveLength(1);
  });

  it("a role someone else holds is refused, pointing to handover, and nobody is added", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Prevent lead" agency:police @pat');
    expect(r.text).toContain('"Prevent lead" is held by Olu Officer (demo)');
    expect(r.text).toContain('partner handover role:"Prevent lead" @from @to');
    expect(await memberRow("pat")).toBeUndefined();
    expect(h.rooms.privateMessages.get("pat")).toBeUndefined();
  });

  it("a title several agencies use needs agency:", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Prevent lead" @pat');
    expect(r.text).toContain("More than one agency has a role called");
    expect(r.text).toContain("agency:");
  });

  it("with agency: the title is looked up in that agency", async () => {
    const r = await h.run("coordinator", 'partner assign role:"Prevent lead" agency:"Northfield Probation" @pat');
    expect(r.text).toContain('@pat now holds "Prevent lead" (Northfield Probation).');
  });

  it("a member of another agency of the partnership is refused", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Intelligence officer" @teacher');
    expect(r.text).toContain('@teacher represents "Northfield Academy"');
    expect(r.text).toContain('"Northfield Police"');
  });

  it("a member of the same agency can take a second role, and is told privately", async () => {
    const before = await h.snapshot();
    const r = await h.run("coordinator", 'partner assign role:"Intelligence officer" @officer');
    expect(r.text).toContain('@officer now holds "Intelligence officer" (Northfield Police).');
    expect(r.text).toContain("told privately");
    expect(await h.snapshot()).toEqual({ ...before, roleAssignments: before.roleAssignments! + 1 });
    const msgs = h.rooms.privateMessages.get("officer") ?? [];
    expect(msgs.at(-1)).toContain("A new role for you in Northfield Prevent Partnership (DEMO)");
    const w = await h.run("officer", "rt whoami");
    expect(w.text).toContain("Prevent lead (SPOC), Intelligence officer");
  });

  it("a missing mention is refused with the usage", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Community liaison"');
    expect(r.text).toContain("The mention must name one person");
    expect(r.text).toContain('Write it as: partner assign role:"<title>" @user [agency:"…"]');
  });

  it("two mentions are refused with the usage", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Community liaison" @amir @bea');
    expect(r.text).toContain("The mention must name one person");
  });

  it("an unknown role is refused, pointing to the directory", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Chief wizard" @amir');
    expect(r.text).toContain('No role called "Chief wizard"');
    expect(r.text).toContain("Write it as: partner assign");
  });

  it("an unknown agency is refused", async () => {
    const r = await h.refused("coordinator", 'partner assign role:"Community liaison" agency:"Northfield Zoo" @amir');
    expect(r.text).toContain('No agency called "Northfield Zoo"');
  });
});

describe("only a coordinator changes the directory", () => {
  const lines = [
    'partner agency add "Officer\'s Own Agency" sector:other',
    'partner agency mandate "Northfield Police" goals:"Something else."',
    'partner role add agency:police "Deputy Prevent lead"',
    'partner assign role:"Community liaison" @amir',
  ];
  for (const line of lines) {
    it(`a partner who is not a coordinator is refused: ${line.split(" ").slice(0, 3).join(" ")}`, async () => {
      const r = await h.refused("officer", line);
      expect(r.text).toContain("You do not have permission");
      expect(h.rooms.privateMessages.get("amir")).toBeUndefined();
    });
    it(`someone outside the directory is refused: ${line.split(" ").slice(0, 3).join(" ")}`, async () => {
      const r = await h.refused("stranger", line);
      expect(r.text).toContain("not in this partnership's directory");
    });
  }

  it("refusals are audited as refused", async () => {
    const rows = await h.db.select().from(auditEvents).where(and(eq(auditEvents.actor, "console:officer"), eq(auditEvents.outcome, "refused")));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(["partner agency add", "partner agency mandate", "partner role add", "partner assign"]));
  });
});
