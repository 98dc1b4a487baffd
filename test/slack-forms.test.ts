import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkinSeries, concerns, meetings } from "../src/db/schema.js";
import { dbKind } from "./support/db.js";
import { dated, picked, slashCommand, typed } from "./support/fake-slack/payloads.js";
import { CHANNELS, startSlackWorld, TEAM, U, type SlackWorld } from "./support/fake-slack/world.js";

type Block = { block_id?: string; element?: Record<string, unknown> };

/** Forms, buttons and the App Home: how Slack users raise, triage and follow their work. */
describe(`Slack forms, buttons and App Home (${dbKind} database)`, () => {
  let w: SlackWorld;
  beforeAll(async () => {
    w = await startSlackWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  const lastForm = () => w.ws.opened.at(-1)!;
  const inputs = () => lastForm().view["blocks"] as Block[];

  it("/concern with its summary inline runs at once, without a form", async () => {
    const forms = w.ws.opened.length;
    const r = await w.run("teacher", "/concern", "Talks about joining a group online urgency:high age:14-17");
    expect(w.ws.opened).toHaveLength(forms);
    expect(r.reply?.response_type).toBe("ephemeral");
    expect(r.text).toContain("C-1");
  });

  it("/concern with options but no summary opens the form with those options filled in", async () => {
    await w.command("nurse", "/concern", 'urgency:high name:"Ann Example" dob:2011-02-03');
    await w.slack.idle();
    const byField = Object.fromEntries(inputs().filter((b) => b.block_id).map((b) => [b.block_id, b.element!]));
    expect(byField["urgency"]?.["initial_option"]).toMatchObject({ value: "high" });
    expect(byField["name"]?.["initial_value"]).toBe("Ann Example");
    expect(byField["dob"]?.["initial_date"]).toBe("2011-02-03");
  });

  it("a blank summary is shown as an error on its field", async () => {
    const r = await w.submit("nurse", { text: typed("   "), urgency: picked("low") });
    expect(r.answer).toMatchObject({ response_action: "errors" });
    expect(Object.keys(r.answer!["errors"] as object)).toEqual(["text"]);
  });

  it("an immediate risk tells the raiser at once to call the emergency services, then records the concern", async () => {
    const r = await w.submit("nurse", { text: typed("Said they will hurt someone today"), urgency: picked("immediate"), dob: dated("2011-02-03") });
    expect(r.answer?.["response_action"]).toBe("update");
    expect(JSON.stringify(r.answer?.["view"])).toMatch(/emergency services/);
    const told = w.ws.privateTextFor(U("nurse")).join("\n");
    expect(told).toMatch(/emergency services/);
    expect(told).toContain("C-2");
    expect(w.lastMessage(CHANNELS.triage)!.text).toMatch(/IMMEDIATE RISK: new concern C-2/);
    expect(w.ws.privateTextFor(U("coordinator")).join("\n")).toMatch(/C-2/);
  });

  it("someone outside the directory gets no form: a private refusal, audited", async () => {
    const forms = w.ws.opened.length;
    const r = await w.run("stranger", "/concern", "");
    expect(w.ws.opened).toHaveLength(forms);
    expect(r.reply?.response_type).toBe("ephemeral");
    expect(r.text).toMatch(/not in this partnership's directory/);
    expect((await w.audit()).at(-1)).toMatchObject({ action: "concern", outcome: "refused" });
  });

  it("a command missing a field it asks for opens a form with that question, checked before it closes", async () => {
    await w.command("coordinator", "/concern", "screen C-1 no-further-action", CHANNELS.triage);
    await w.slack.idle();
    expect(lastForm().view["callback_id"]).toBe("rt-prompts");
    expect(inputs().map((b) => b.block_id).filter(Boolean)).toEqual(["because"]);
    const tooLong = await w.submit("coordinator", { because: typed("x".repeat(2001)) });
    expect(tooLong.answer).toMatchObject({ response_action: "errors", errors: { because: expect.stringMatching(/too long/) } });
    const ok = await w.submit("coordinator", { because: typed("Handled by the school's own pastoral team") });
    expect(ok.answer).toBeNull();
    const [c1] = await w.db.select().from(concerns).where(eq(concerns.refNo, 1));
    expect(c1?.status).toBe("no-further-action");
    // Information flows back to the raiser: the outcome, never the rationale.
    const teacher = w.ws.privateTextFor(U("teacher")).join("\n");
    expect(teacher).toMatch(/C-1.*no further action|C-1.*no-further-action/i);
    expect(teacher).not.toContain("pastoral");
  });

  it("when the form cannot be opened in time, the command runs as written and says what is missing", async () => {
    const responseUrl = w.fake.responseUrl();
    const body = slashCommand({ user: U("coordinator"), team: TEAM, command: "/concern", text: "screen C-2 signposted", channel: CHANNELS.triage, responseUrl, triggerId: "expired" });
    await w.post(w.form(body));
    await w.slack.idle();
    const reply = w.ws.responses.find((r) => r.url === responseUrl);
    expect(reply?.response_type).toBe("ephemeral");
    expect(reply?.text).toMatch(/because:/);
  });

  it("the App Home shows a coordinator the concerns awaiting screening, by ref only, with a button to read one", async () => {
    const { home } = await w.openHome("coordinator");
    const blocks = (home!["blocks"] as unknown[]) ?? [];
    const shown = JSON.stringify(blocks);
    expect(shown).toContain("C-2");
    expect(shown).not.toContain("hurt someone");
    const r = await w.press("coordinator", { home: blocks }, "Show");
    expect(r.status).toBe(200);
    // No response URL in the App Home: the concern comes by DM.
    expect(w.ws.dmWith(U("coordinator"))!.messages.at(-1)!.text).toContain("hurt someone");
    expect(JSON.stringify(w.ws.homes.get(U("coordinator")))).toContain("C-2");
  });

  it("the App Home shows the next check-in the member's agency is invited to", async () => {
    const [series] = await w.db
      .insert(checkinSeries)
      .values({ partnershipId: w.demo.partnershipId, refNo: 1, title: "Monthly panel", rrule: "FREQ=MONTHLY", timeOfDay: "10:00", timeZone: "Europe/London", createdBy: 1 })
      .returning();
    await w.db.insert(meetings).values({ seriesId: series!.id, startsAt: new Date("2026-12-07T10:00:00Z") });
    const { home } = await w.openHome("officer");
    expect(JSON.stringify(home)).toContain("Monthly panel");
  });

  it("someone outside the directory sees a polite App Home, and the refusal is audited", async () => {
    const { home } = await w.openHome("stranger");
    expect(JSON.stringify(home)).toMatch(/not in a partnership's directory/);
    expect((await w.audit()).at(-1)).toMatchObject({ actor: `slack:${TEAM}:${U("stranger")}`, action: "slack home", outcome: "refused" });
  });

  it("'Raise a concern' in the App Home opens the concern form", async () => {
    const { home } = await w.openHome("teacher");
    await w.press("teacher", { home: home!["blocks"] as unknown[] }, "Raise a concern");
    expect(lastForm()).toMatchObject({ user: U("teacher"), view: { callback_id: "rt-concern" } });
  });
});
