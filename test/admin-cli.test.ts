import { and, eq, sql } from "drizzle-orm";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminActor, adminMain } from "../src/admin/main.js";
import { runAdmin } from "../src/admin/run.js";
import type { AdminContext } from "../src/admin/context.js";
import { auditEvents } from "../src/audit/audit.sql.js";
import { coordinators, members, partnerships, rooms } from "../src/db/schema.js";
import { keyIdFor } from "../src/security/crypto.js";
import { openKeyring } from "../src/modules/dataprotection/keyring.js";
import type { CaseRecord } from "../src/modules/dataprotection/case-record.js";
import type { ProcessingRecord } from "../src/modules/dataprotection/processing.js";
import type { AuditExport } from "../src/modules/dataprotection/audit-export.js";
import { onServer, testDatabase } from "./support/db.js";
import { createHarness, TEST_SECRET, type Harness } from "./support/harness.js";

/**
 * The admin command line (SPEC §4): sets a partnership up before anyone is in
 * chat, and runs retention, exports, audit and key rotation. Every action is
 * audited as `admin:<os user>`; mistakes say what was wrong and change nothing.
 */

let h: Harness;
let out: string[] = [];
let err: string[] = [];
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "rt-admin-"));
  dirs.push(d);
  return d;
};

const ctx = (): AdminContext => ({
  db: h.db,
  deps: h.deps,
  actor: "admin:tester",
  knownKeyIds: [keyIdFor(TEST_SECRET)],
  out: (l) => out.push(l),
  err: (l) => err.push(l),
});
/** Run `npm run admin -- <line>` in-process on the harness's database; returns the exit code. */
async function admin(...argv: string[]): Promise<number> {
  out = [];
  err = [];
  return runAdmin(ctx(), argv);
}
const adminEvents = async () => h.db.select().from(auditEvents).where(eq(auditEvents.actor, "admin:tester")).orderBy(auditEvents.id);
const partnershipCount = async () => (await h.db.select().from(partnerships)).length;

beforeAll(async () => {
  h = await createHarness();
  await h.run("teacher", 'concern Pupil talks about joining a group name:"Ali Khan" dob:2009-05-06');
  await h.run("coordinator", "case open C-1 lead:police", "triage");
  await h.run("officer", 'decision Refer to the panel basis:"public task"', "room-case-0001");
  await h.run("coordinator", 'case close outcome:"Supported"', "room-case-0001");
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill();
  await h.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("partnership create and list", () => {
  it("creates a partnership with its settings, and audits it on the new partnership's chain", async () => {
    const code = await admin(
      "partnership", "create", "--name", "Northfield Hub", "--slug", "north", "--tz", "Europe/Paris", "--locale", "fr",
      "--level", "regional", "--retention-months", "36", "--concern-retention-months", "3", "--case-member-cap", "8", "--jurisdiction", "fr",
    );
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(/Created partnership north/);
    const [p] = await h.db.select().from(partnerships).where(eq(partnerships.slug, "north"));
    expect(p).toMatchObject({ name: "Northfield Hub", level: "regional", timeZone: "Europe/Paris", locale: "fr", retentionMonths: 36, concernRetentionMonths: 3, caseMemberCap: 8, jurisdiction: "fr", demo: false });
    const [e] = (await adminEvents()).filter((x) => x.action === "admin partnership create");
    expect(e).toMatchObject({ chain: p!.id, object: "north", outcome: "accepted" });
  });

  it("a local partnership can name its parent for escalation", async () => {
    expect(await admin("partnership", "create", "--name", "South", "--slug", "south", "--tz", "Europe/London", "--locale", "en", "--parent", "north")).toBe(0);
    const [south] = await h.db.select().from(partnerships).where(eq(partnerships.slug, "south"));
    const [north] = await h.db.select().from(partnerships).where(eq(partnerships.slug, "north"));
    expect(south!.parentId).toBe(north!.id);
    expect(south!.level).toBe("local");
  });

  for (const [what, argv, message] of [
    ["a slug already taken", ["--slug", "north"], /already exists/],
    ["a time zone that does not exist", ["--slug", "x1", "--tz", "Mars/Olympus"], /not a time zone/],
    ["an unknown level", ["--slug", "x2", "--level", "county"], /--level must be one of local, regional, national/],
    ["an unknown jurisdiction", ["--slug", "x3", "--jurisdiction", "de"], /--jurisdiction must be one of uk, fr, nl, be, dk/],
    ["an unknown parent", ["--slug", "x4", "--parent", "nowhere"], /no partnership "nowhere"/],
    ["a retention period of zero", ["--slug", "x5", "--retention-months", "0"], /--retention-months must be a whole number/],
    ["an unknown option", ["--slug", "x6", "--colour", "red"], /Unknown option '--colour'/],
  ] as const) {
    it(`refuses ${what} with the usage, creates nothing, and audits the refusal`, async () => {
      const before = await partnershipCount();
      const base = { "--name": "X", "--tz": "Europe/London", "--locale": "en" } as Record<string, string>;
      for (let i = 0; i < argv.length; i += 2) base[argv[i]!] = argv[i + 1]!;
      const code = await admin("partnership", "create", ...Object.entries(base).flat());
      expect(code).toBe(2);
      expect(err.join("\n")).toMatch(message);
      expect(err.join("\n")).toMatch(/Usage: npm run admin -- partnership create/);
      expect(await partnershipCount()).toBe(before);
      expect((await adminEvents()).at(-1)).toMatchObject({ action: "admin partnership create", outcome: "refused" });
    });
  }

  it("lists partnerships with their settings", async () => {
    expect(await admin("partnership", "list")).toBe(0);
    const text = out.join("\n");
    expect(text).toMatch(/demo\s+Northfield Prevent Partnership \(DEMO\)/);
    expect(text).toMatch(/north\s+Northfield Hub\s+regional\s+—\s+Europe\/Paris\s+fr\s+fr\s+36\/3\s+8\s+0/);
    expect(text).toMatch(/south .* north /);
  });
});

describe("coordinator add and room bind", () => {
  it("names a first coordinator by Matrix id, creating the member; the person can then act in chat as coordinator", async () => {
    expect(await admin("coordinator", "add", "--partnership", "north", "matrix:@ana:example.org", "--name", "Ana Martin")).toBe(0);
    expect(out.join("\n")).toMatch(/matrix:@ana:example.org is now a coordinator of north \(new member/);
    const [m] = await h.db.select().from(members).where(and(eq(members.platform, "matrix"), eq(members.platformUserId, "@ana:example.org")));
    expect(m!.displayName).toBe("Ana Martin");
    const r = await h.dispatcher.dispatch({ platform: "matrix", userId: "@ana:example.org", roomId: null, text: "rt whoami", interactive: false });
    expect(JSON.stringify(r.doc)).toMatch(/Northfield Hub/);
    expect(JSON.stringify(r.doc)).toMatch(/"Coordinator","yes"/);
  });

  it("a Slack member is team and user id; adding someone twice says so and changes nothing", async () => {
    expect(await admin("coordinator", "add", "--partnership", "north", "slack:T0123ABC:U0456DEF")).toBe(0);
    const before = (await h.db.select().from(coordinators)).length;
    expect(await admin("coordinator", "add", "--partnership", "north", "slack:T0123ABC:U0456DEF")).toBe(0);
    expect(out.join("\n")).toMatch(/already a coordinator of north/);
    expect((await h.db.select().from(coordinators)).length).toBe(before);
    const [m] = await h.db.select().from(members).where(eq(members.platformUserId, "T0123ABC:U0456DEF"));
    expect(m!.platform).toBe("slack");
  });

  it("an existing console member of the demo becomes its second coordinator", async () => {
    expect(await admin("coordinator", "add", "--partnership", "demo", "console:officer")).toBe(0);
    expect(out.join("\n")).toMatch(/console:officer is now a coordinator of demo\.$/);
  });

  it("an identity written wrong is refused with how to write it", async () => {
    expect(await admin("coordinator", "add", "--partnership", "north", "slack:U0456DEF")).toBe(2);
    expect(err.join("\n")).toMatch(/slack:T0123ABCD:U0123ABCD \(team id : user id\)/);
    expect(await admin("coordinator", "add", "--partnership", "north", "ana@example.org")).toBe(2);
    expect(err.join("\n")).toMatch(/is not a user: write one of/);
  });

  it("binds the triage and partnership rooms; a room of another partnership is refused", async () => {
    expect(await admin("room", "bind", "--partnership", "north", "--purpose", "triage", "matrix:!triage:example.org")).toBe(0);
    expect(await admin("room", "bind", "--partnership", "north", "--purpose", "partnership", "slack:C0PARTNER")).toBe(0);
    const bound = await h.db.select().from(rooms).where(sql`${rooms.platformRoomId} in ('!triage:example.org', 'C0PARTNER')`);
    expect(bound.map((r) => [r.platform, r.purpose]).sort()).toEqual([["matrix", "triage"], ["slack", "partnership"]]);
    expect(await admin("room", "bind", "--partnership", "south", "--purpose", "triage", "matrix:!triage:example.org")).toBe(2);
    expect(err.join("\n")).toMatch(/already bound to another partnership/);
    expect(await admin("room", "bind", "--partnership", "north", "--purpose", "case", "slack:C0X")).toBe(2);
    expect(err.join("\n")).toMatch(/--purpose must be one of partnership, triage/);
  });
});

describe("retention, exports, audit and keys", () => {
  it("retention run --dry-run lists what would go and changes nothing; retention run erases it", async () => {
    h.setNow(new Date("2029-01-01T10:00:00Z"));
    const before = await h.snapshot();
    expect(await admin("retention", "run", "--dry-run")).toBe(0);
    expect(out.join("\n")).toMatch(/Dry run: 1 record\(s\) would be erased/);
    expect(out.join("\n")).toMatch(/demo CASE-1 \(closed 2026-11-30, 24-month period\)/);
    expect(await h.snapshot()).toEqual(before);
    expect(await admin("retention", "run", "--partnership", "demo")).toBe(0);
    expect(out.join("\n")).toMatch(/Erased the personal data of 1 record/);
    const events = await h.db.select().from(auditEvents).where(and(eq(auditEvents.action, "retention purge"), eq(auditEvents.object, "CASE-1")));
    expect(events.map((e) => e.actor)).toEqual(["admin:tester"]);
    h.setNow(new Date("2026-11-30T10:00:00Z"));
  });

  it("export case writes the record to a file only its owner can read", async () => {
    const file = join(tempDir(), "case.json");
    expect(await admin("export", "case", "--partnership", "demo", "CASE-1", "--format", "json", "--out", file)).toBe(0);
    const rec = JSON.parse(readFileSync(file, "utf8")) as CaseRecord;
    expect(rec.case.ref).toBe("CASE-1");
    expect(rec.generatedBy).toBe("admin:tester");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const html = join(tempDir(), "case.html");
    expect(await admin("export", "case", "--partnership", "demo", "CASE-1", "--format", "html", "--out", html)).toBe(0);
    expect(readFileSync(html, "utf8")).toMatch(/<h1>Case record CASE-1<\/h1>/);
    expect(await admin("export", "case", "--partnership", "demo", "CASE-9", "--format", "json", "--out", file)).toBe(2);
    expect(err.join("\n")).toMatch(/There is no case CASE-9 in demo/);
  });

  it("export processing prints the record of processing", async () => {
    expect(await admin("export", "processing", "--partnership", "demo")).toBe(0);
    const rec = JSON.parse(out.join("\n")) as ProcessingRecord;
    expect(rec.kind).toBe("roundtable.record-of-processing");
    expect(rec.lawfulBases).toEqual([{ basis: "public task", decisions: 1, shares: 0 }]);
    expect(rec.retention.purged.cases).toBe(1);
  });

  it("audit verify reports every chain intact, then the first broken event once one is edited", async () => {
    expect(await admin("audit", "verify")).toBe(0);
    expect(out.join("\n")).toMatch(/ok\s+demo: \d+ events, every link intact/);
    expect(out.at(-1)).toBe("The audit trail is intact.");
    const [third] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.chain, h.demo.partnershipId), eq(auditEvents.seq, 3)));
    await h.db.update(auditEvents).set({ action: "nothing to see" }).where(eq(auditEvents.id, third!.id));
    expect(await admin("audit", "verify")).toBe(1);
    expect(out.join("\n")).toMatch(/BROKEN\s+demo: first broken at event 3 \(row id \d+\): event 3 was altered/);
    await h.db.update(auditEvents).set({ action: third!.action }).where(eq(auditEvents.id, third!.id));
  });

  it("audit export writes the events of a date range with their hashes", async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(await admin("audit", "export", "--from", "2020-01-01", "--to", today, "--partnership", "demo")).toBe(0);
    const x = JSON.parse(out.join("\n")) as AuditExport;
    expect(x.chains.map((c) => c.partnership)).toEqual(["demo"]);
    expect(x.chains[0]!.events.length).toBeGreaterThan(5);
    expect(await admin("audit", "export", "--from", "01/01/2020", "--to", today)).toBe(2);
    expect(err.join("\n")).toMatch(/YYYY-MM-DD/);
  });

  it("keys status counts ciphertexts per key id; keys rotate moves them all to the new key", async () => {
    expect(await admin("keys", "status")).toBe(0);
    expect(out.join("\n")).toMatch(new RegExp(`${keyIdFor(TEST_SECRET)}\\s+\\d+\\s+current`));
    const NEW = "the-next-secret-for-rotation-0123456789-abcdefgh";
    const old = h.deps.keyring;
    h.deps.keyring = await openKeyring(h.db, NEW, [TEST_SECRET]);
    out = [];
    expect(await runAdmin({ ...ctx(), knownKeyIds: [keyIdFor(NEW), keyIdFor(TEST_SECRET)] }, ["keys", "rotate", "--batch", "1"])).toBe(0);
    expect(out.join("\n")).toMatch(/older secrets can now be removed/);
    out = [];
    expect(await runAdmin({ ...ctx(), knownKeyIds: [keyIdFor(NEW), keyIdFor(TEST_SECRET)] }, ["keys", "status"])).toBe(0);
    expect(out.join("\n")).toMatch(new RegExp(`No data uses ${keyIdFor(TEST_SECRET)} any more`));
    h.deps.keyring = old;
  });

  it("every admin action is in the audit log as admin:<user>, with no personal data", async () => {
    const events = await adminEvents();
    const actions = new Set(events.map((e) => e.action));
    for (const a of ["partnership create", "partnership list", "coordinator add", "room bind", "retention run", "export case", "export processing", "audit verify", "audit export", "keys status", "keys rotate"]) {
      expect(actions).toContain(`admin ${a}`);
    }
    expect(JSON.stringify(events.map((e) => e.detail))).not.toMatch(/Ali|Khan|Ana Martin/);
    expect(adminActor()).toMatch(/^admin:.+/);
  });

  it("an unknown command prints the usage", async () => {
    expect(await admin("partnership", "delete")).toBe(2);
    expect(err.join("\n")).toMatch(/Unknown command "partnership delete"/);
    expect(err.join("\n")).toMatch(/keys rotate \[--batch N\]/);
  });
});

describe("the command line around the commands", () => {
  it("help needs no database", async () => {
    const lines: string[] = [];
    expect(await adminMain([], { env: {}, out: (l) => lines.push(l), err: () => {} })).toBe(0);
    expect(lines.join("\n")).toMatch(/partnership create --name/);
  });

  it("bad configuration is reported, every problem at once", async () => {
    const lines: string[] = [];
    expect(await adminMain(["partnership", "list"], { env: { DATABASE_URL: "mysql://x" }, out: () => {}, err: (l) => lines.push(l) })).toBe(2);
    expect(lines.join("\n")).toMatch(/DATABASE_URL must be a postgres/);
  });

  it("when the bot holds the embedded database, it says so and how to go on", async () => {
    const dir = tempDir();
    const bot = spawn(process.execPath, ["-e", "setTimeout(()=>{},20000)"], { stdio: "ignore" });
    children.push(bot);
    writeFileSync(join(dir, "roundtable.lock"), String(bot.pid));
    const lines: string[] = [];
    expect(await adminMain(["partnership", "list"], { env: { DATA_DIR: dir }, out: () => {}, err: (l) => lines.push(l) })).toBe(3);
    const text = lines.join("\n");
    expect(text).toMatch(/in use, most likely by the running bot/);
    expect(text).toMatch(/Stop the bot/);
    expect(text).toMatch(/DATABASE_URL/);
    expect(text).toContain(`pid ${bot.pid}`);
  });

  it("runs a command end to end on this run's kind of database, reading the environment as the bot does", async () => {
    // On the server: a database of its own, so the command line migrates and writes there.
    const own = onServer ? await testDatabase() : undefined;
    try {
      const env: NodeJS.ProcessEnv = own
        ? { DATABASE_URL: own.url, ROUNDTABLE_SECRET: TEST_SECRET, LOG_LEVEL: "silent" }
        : { DATA_DIR: tempDir(), LOG_LEVEL: "silent" };
      const lines: string[] = [];
      const run = (...argv: string[]) => adminMain(argv, { env, out: (l) => lines.push(l), err: (l) => lines.push(l) });
      expect(await run("partnership", "create", "--name", "E2E", "--slug", "e2e", "--tz", "UTC", "--locale", "en")).toBe(0);
      expect(await run("coordinator", "add", "--partnership", "e2e", "console:ana")).toBe(0);
      expect(await run("partnership", "list")).toBe(0);
      expect(lines.join("\n")).toMatch(/e2e\s+E2E\s+local/);
      expect(await run("audit", "verify")).toBe(0);
    } finally {
      await own?.close();
    }
  }, 60_000);

  it("npm run admin starts the command line (tsx src/admin/cli.ts)", () => {
    const dir = tempDir();
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/admin/cli.ts", "partnership", "list"], {
      env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", ROUNDTABLE_SECRET: "", LOG_LEVEL: "silent" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/No partnerships yet/);
    expect(r.status).toBe(0);
  }, 60_000);
});
