import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lessons, members } from "../src/db/schema.js";
import { dbKind } from "./support/db.js";
import { signature, signed, slashCommand } from "./support/fake-slack/payloads.js";
import { CHANNELS, OTHER_TEAM, SIGNING_SECRET, startSlackWorld, TEAM, U, type SlackWorld } from "./support/fake-slack/world.js";

/** The real Bolt HTTP receiver on our HTTP server, driven by signed requests as Slack sends them. */
describe(`the Slack receiver (${dbKind} database)`, () => {
  let w: SlackWorld;
  beforeAll(async () => {
    w = await startSlackWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  const commandBody = (text: string) =>
    slashCommand({ user: U("coordinator"), team: TEAM, command: "/lesson", text, channel: CHANNELS.partnership, responseUrl: w.fake.responseUrl(), triggerId: "t" });

  /** Everything a request could have changed: rows, audit events, Web API calls, replies. */
  const footprint = async () => ({ rows: await w.snapshot(), audit: (await w.audit()).length, calls: w.fake.calls.length, replies: w.ws.responses.length });

  it("serves /slack/events and /healthz on one port", async () => {
    expect((await fetch(`${w.base}/healthz`)).status).toBe(200);
    expect((await fetch(`${w.base}/slack/events`)).status).toBe(405);
  });

  it("answers Slack's URL verification (when the request URL is set up)", async () => {
    const r = await w.post(signed(SIGNING_SECRET, JSON.stringify({ type: "url_verification", challenge: "c-123", token: "x" }), "application/json"));
    expect(r.status).toBe(200);
    expect(r.body).toContain("c-123");
  });

  it("a request with a bad signature gets 401 and nothing is recorded", async () => {
    const before = await footprint();
    const body = commandBody("Forged lesson");
    const r = await w.post(signed(SIGNING_SECRET, body, "application/x-www-form-urlencoded", { signature: signature("not-the-secret", Math.floor(Date.now() / 1000), body) }));
    await w.slack.idle();
    expect(r.status).toBe(401);
    expect(await footprint()).toEqual(before);
  });

  it("a correctly signed but stale request (replayed after five minutes) gets 401 and nothing is recorded", async () => {
    const before = await footprint();
    const r = await w.post(signed(SIGNING_SECRET, commandBody("Replayed lesson"), "application/x-www-form-urlencoded", { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }));
    await w.slack.idle();
    expect(r.status).toBe(401);
    expect(await footprint()).toEqual(before);
  });

  it("a command is acknowledged at once while the database is busy, and finished after", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const busy = w.db.transaction(async (tx) => {
      await tx.execute(sql`lock table members in access exclusive mode`);
      locked();
      await held;
    });
    await lockTaken;
    const sent = await w.command("officer", "/case", "list");
    expect(sent.status).toBe(200);
    expect(sent.ackMs).toBeLessThan(1000);
    // Longer than Slack's three seconds: the ack was not waiting for the database.
    await new Promise((r) => setTimeout(r, 3100));
    expect(w.ws.responses.filter((x) => x.url === sent.responseUrl)).toHaveLength(0);
    release();
    await busy;
    await w.slack.idle();
    expect(w.ws.responses.find((x) => x.url === sent.responseUrl)?.text).toMatch(/no open case/);
  }, 20_000);

  it("slash command text is read as the user wrote it: entities decoded, links unwrapped", async () => {
    const r = await w.run("coordinator", "/lesson", "Parents &amp; carers need &lt;plain&gt; words, see <https://example.org/guide|example.org/guide>");
    expect(r.status).toBe(200);
    const [lesson] = await w.db.select().from(lessons);
    expect(lesson?.text).toBe("Parents & carers need <plain> words, see https://example.org/guide");
  });

  it("an unknown Slack user is refused politely and privately, the refusal audited, nothing else changed", async () => {
    const before = await w.snapshot();
    const r = await w.run("stranger", "/case", "list");
    expect(r.reply?.response_type).toBe("ephemeral");
    expect(r.text).toMatch(/not in this partnership's directory/);
    expect(await w.snapshot()).toEqual(before);
    const last = (await w.audit()).at(-1)!;
    expect(last).toMatchObject({ actor: `slack:${TEAM}:${U("stranger")}`, action: "case list", outcome: "refused", detail: { reason: "not-a-member" } });
  });

  it("a mistake is answered privately with how to write it, and changes nothing", async () => {
    const before = await w.snapshot();
    const r = await w.run("coordinator", "/task", "Call the school <@UOFFICER|officer> due:someday");
    expect(r.reply?.response_type).toBe("ephemeral");
    expect(r.text).toMatch(/Write it as: task/);
    expect(await w.snapshot()).toEqual(before);
    const notFound = await w.run("coordinator", "/concern", "show C-99");
    expect(notFound.reply?.response_type).toBe("ephemeral");
    expect(notFound.text).toContain("C-99");
    expect(notFound.text).not.toMatch(/went wrong/);
    const unknown = await w.run("officer", "/case", "frobnicate");
    expect(unknown.reply?.response_type).toBe("ephemeral");
    expect(unknown.text).toContain("case open");
  });

  it("a partner from another organisation (Slack Connect) maps by their own team and user id", async () => {
    const assign = await w.run("coordinator", "/partner", 'assign role:"Tenancy support officer" <@UPARTNER|partner>');
    expect(assign.reply?.response_type).toBe("ephemeral");
    const [m] = await w.db.select().from(members).where(eq(members.platformUserId, `${OTHER_TEAM}:${U("partner")}`));
    expect(m).toBeDefined();
    // They use the command in the host's workspace: the payload names the host team, users.info their own.
    const r = await w.run("partner", "/case", "list", CHANNELS.partnership, TEAM);
    expect(r.text).toMatch(/no open case/);
    const whoami = await w.run("partner", "/rt", "whoami", CHANNELS.partnership, OTHER_TEAM);
    expect(whoami.text).toContain(`${OTHER_TEAM}:${U("partner")}`);
    const wrong = await w.db.select().from(members).where(and(eq(members.platform, "slack"), eq(members.platformUserId, `${TEAM}:${U("partner")}`)));
    expect(wrong).toHaveLength(0);
  });

  it("while stopping, a new request is acknowledged and told to try again, and nothing is run", async () => {
    await w.slack.stop();
    const before = await w.snapshot();
    const r = await w.run("coordinator", "/lesson", "Too late");
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/restarting/);
    expect(await w.snapshot()).toEqual(before);
  });
});
