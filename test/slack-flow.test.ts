import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain } from "../src/audit/audit.js";
import { cases, concerns, rooms, tasks } from "../src/db/schema.js";
import { dbKind } from "./support/db.js";
import { dated, picked, typed } from "./support/fake-slack/payloads.js";
import { CHANNELS, startSlackWorld, U, type SlackWorld } from "./support/fake-slack/world.js";

/**
 * The whole case flow through Slack, as partners would do it: a concern raised
 * through the form, triaged with buttons in the coordinators' private channel,
 * a case opened into its own private channel, worked by slash commands, and
 * closed (its channel archived). On this run's database.
 */
describe(`the case flow in Slack (${dbKind} database)`, () => {
  let w: SlackWorld;
  let caseChannel: string;

  beforeAll(async () => {
    w = await startSlackWorld();
    // A misconfigured triage channel: a partner who is not a coordinator can see the buttons.
    w.ws.channels.get(CHANNELS.triage)!.members.add(U("officer"));
  });
  afterAll(async () => {
    await w?.close();
  });

  it("/concern with no text opens the concern form, acknowledged at once", async () => {
    const sent = await w.command("teacher", "/concern", "");
    expect(sent.status).toBe(200);
    expect(sent.ackMs).toBeLessThan(1000);
    await w.slack.idle();
    const form = w.ws.opened.at(-1)!;
    expect(form.user).toBe(U("teacher"));
    expect(form.view["callback_id"]).toBe("rt-concern");
    const fields = (form.view["blocks"] as Array<{ block_id?: string }>).map((b) => b.block_id).filter(Boolean);
    expect(fields).toEqual(["text", "urgency", "name", "dob", "age", "categories", "safe", "consent"]);
  });

  it("a date of birth in the future is shown on its field, and the form stays open with nothing recorded", async () => {
    const r = await w.submit("teacher", { text: typed("Repeating extremist slogans"), urgency: picked("high"), dob: dated("2031-01-01") });
    expect(r.answer?.["response_action"]).toBe("errors");
    expect(Object.keys(r.answer?.["errors"] as object)).toEqual(["dob"]);
    expect(await w.db.select().from(concerns)).toHaveLength(0);
  });

  it("a submitted concern reaches the triage channel pseudonymously, with the screening buttons", async () => {
    const r = await w.submit("teacher", {
      text: typed("Pupil repeating extremist slogans, seems isolated"),
      urgency: picked("high"),
      name: typed("Jane Doe"),
      dob: dated("2010-04-02"),
      age: picked("14-17"),
    });
    expect(r.status).toBe(200);
    expect(r.answer).toBeNull(); // an empty ack closes the form
    expect(w.ws.privateTextFor(U("teacher")).join("\n")).toContain("C-1");
    const triage = w.lastMessage(CHANNELS.triage)!;
    expect(triage.text).toContain("New concern C-1");
    const labels = JSON.stringify(triage.blocks);
    for (const label of ["Read", "Open case", "No further action", "Signpost", "Escalate to police"]) expect(labels).toContain(label);
    for (const secret of ["Jane", "slogans", "2010-04-02"]) expect(JSON.stringify(triage)).not.toContain(secret);
  });

  it("a partner who is not a coordinator pressing a triage button is refused privately, and nothing changes", async () => {
    const before = await w.db.select().from(concerns);
    const r = await w.press("officer", w.lastMessage(CHANNELS.triage)!, "No further action");
    expect(r.status).toBe(200);
    expect(r.reply?.response_type).toBe("ephemeral");
    expect(r.text).toMatch(/permission/);
    expect(await w.db.select().from(concerns)).toEqual(before);
  });

  it("the coordinator opens the case with the button; the form asks for the lead agency", async () => {
    await w.press("coordinator", w.lastMessage(CHANNELS.triage)!, "Open case");
    const form = w.ws.opened.at(-1)!;
    expect(form.user).toBe(U("coordinator"));
    expect(form.view["callback_id"]).toBe("rt-prompts");
    const r = await w.submit("coordinator", { lead: typed("police"), with: typed("education,health") });
    expect(r.answer).toBeNull();
    const [kase] = await w.db.select().from(cases);
    expect(kase?.provisioning).toBe("ready");
    const [room] = await w.db.select().from(rooms).where(eq(rooms.caseId, kase!.id));
    caseChannel = room!.platformRoomId;
  });

  it("the case gets a private channel named by its ref only, with the role holders and a pinned pseudonymous summary", async () => {
    const ch = w.ws.channels.get(caseChannel)!;
    expect(ch.name).toBe("case-0001");
    expect(ch.isPrivate).toBe(true);
    expect([...ch.members].sort()).toEqual([U("coordinator"), U("nurse"), U("officer"), U("teacher"), "UBOT"].sort());
    expect(ch.pins.size).toBe(1);
    const summary = ch.messages.find((m) => ch.pins.has(m.ts))!;
    expect(summary.text).toContain("CASE-1");
    expect(JSON.stringify(ch)).not.toContain("Jane");
    expect(w.ws.privateTextFor(U("teacher")).join("\n")).toMatch(/C-1.*accepted/i);
  });

  it("partners work the case by slash commands in its channel", async () => {
    const d = await w.run("officer", "/decision", 'Refer to the Channel panel because:"ideology and isolation" basis:"public task"', caseChannel);
    expect(d.text).toContain("D-1");
    expect(d.inChannel).toBe(true);

    const refused = await w.run("officer", "/task", "Meet the family <@USOCIAL|social> due:friday", caseChannel);
    expect(refused.reply?.response_type).toBe("ephemeral");

    const invited = await w.run("officer", "/case", "invite <@USOCIAL|social> until:2w", caseChannel);
    expect(invited.text).toContain("Sam Social");
    expect(w.ws.channels.get(caseChannel)!.members.has(U("social"))).toBe(true);

    const task = await w.run("officer", "/task", "Meet the family <@USOCIAL|social> due:friday", caseChannel);
    expect(task.text).toContain("T-1");
    await w.run("officer", "/task", 'Check attendance role:"Designated safeguarding lead" due:2w', caseChannel);

    const removed = await w.run("officer", "/case", "remove <@UNURSE|nurse>", caseChannel);
    expect(removed.text).toContain("Nia Nurse");
    expect(w.ws.channels.get(caseChannel)!.members.has(U("nurse"))).toBe(false);
  });

  it("someone outside the case is refused, privately", async () => {
    const r = await w.run("youth", "/case", "info case:CASE-1");
    expect(r.reply?.response_type).toBe("ephemeral");
    expect(r.text).toMatch(/not a participant/);
  });

  it("the App Home shows a partner's open tasks and cases", async () => {
    const { home } = await w.openHome("teacher");
    const text = JSON.stringify(home);
    expect(text).toContain("T-2");
    expect(text).toContain("CASE-1");
    expect(text).toContain(`<#${caseChannel}>`);
    const done = await w.run("teacher", "/task", "done T-2", caseChannel);
    expect(done.text).toContain("T-2");
    expect((await w.db.select().from(tasks).where(eq(tasks.refNo, 2)))[0]?.status).toBe("done");
  });

  it("the coordinator closes the case; its channel is archived", async () => {
    const r = await w.run("coordinator", "/case", 'close outcome:"Supported; risk reduced"', caseChannel);
    expect(r.text).toContain("CASE-1 is closed");
    expect(w.ws.channels.get(caseChannel)!.isArchived).toBe(true);
    const verify = await w.run("coordinator", "/rt", "audit verify", CHANNELS.triage);
    expect(verify.reply?.response_type).toBe("ephemeral");
    expect((await verifyChain(w.db, w.demo.partnershipId)).ok).toBe(true);
  });

  it("nothing identifying the person concerned reached Slack outside the raiser's own form", async () => {
    const shown = JSON.stringify(w.ws.channels.get(caseChannel)) + JSON.stringify(w.ws.channels.get(CHANNELS.triage)) + JSON.stringify(w.ws.homes);
    for (const secret of ["Jane", "Doe", "2010-04-02", "slogans"]) expect(shown).not.toContain(secret);
  });
});
