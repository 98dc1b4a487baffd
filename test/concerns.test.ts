import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { concerns, concernSubjectKeys } from "../src/db/schema.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

const triage = () => h.rooms.rooms.get("triage")?.messages ?? [];

describe("raising a concern", () => {
  it("stores the summary encrypted, the identity only as keyed hashes, and thanks the raiser privately", async () => {
    const r = await h.run("teacher", 'concern Pupil shared extremist videos in class name:"Jane Doe" dob:2010-04-02 urgency:high age:14-17');
    expect(r.visibility).toBe("private");
    expect(r.text).toMatch(/C-1 is with the coordinators/);
    const [c] = await h.db.select().from(concerns).where(eq(concerns.refNo, 1));
    expect(c!.summaryEnc).not.toContain("extremist");
    expect(h.deps.keyring.decrypt(c!.summaryEnc!)).toBe("Pupil shared extremist videos in class");
    const keys = await h.db.select().from(concernSubjectKeys).where(eq(concernSubjectKeys.concernId, c!.id));
    expect(keys.map((k) => k.kind).sort()).toEqual(["exact", "name", "phonetic"]);
    for (const k of keys) expect(k.key).not.toMatch(/jane|doe|2010/i);
  });

  it("tells the coordinators in the triage room, pseudonymously, with the screening actions", async () => {
    const last = triage().at(-1)!;
    expect(last).toMatch(/New concern C-1/);
    expect(last).toMatch(/concern screen C-1 no-further-action/);
    expect(last).toMatch(/case open C-1/);
    expect(last).not.toMatch(/Jane|Doe|2010-04-02|extremist/);
  });

  it("a misspelt second referral about the same person is flagged to the coordinators, never to the raiser", async () => {
    const r = await h.run("nurse", 'concern Worrying remarks at a check-up name:"Jayne Dough" dob:2010-04-02');
    expect(r.text).toMatch(/C-2/);
    expect(r.text).not.toMatch(/C-1|earlier|same person/i);
    const last = triage().at(-1)!;
    expect(last).toMatch(/Possibly the same person as 1 earlier concern: C-1 \(similar-sounding name and same date of birth\)/);
  });

  it("the same name with another date of birth matches only weakly, and other names not at all", async () => {
    await h.run("officer", 'concern Graffiti name:"Jane Doe" dob:1990-01-01');
    expect(triage().at(-1)).toMatch(/C-1 \(same name\)/);
    await h.run("officer", 'concern Something else name:"Peter Parker" dob:2001-02-03');
    expect(triage().at(-1)).not.toMatch(/Possibly/);
  });

  it("an immediate-risk concern tells the raiser at once to call the emergency services, and reaches each coordinator privately", async () => {
    const r = await h.run("youth", "concern Said he would hurt people tonight urgency:immediate");
    expect(r.doc.tone).toBe("warning");
    expect(r.text).toMatch(/call the emergency services now/);
    expect(h.rooms.privateMessages.get("coordinator")?.at(-1)).toMatch(/IMMEDIATE RISK: new concern C-5/);
  });

  it("bad input is refused with the usage and writes nothing", async () => {
    const before = await h.snapshot();
    for (const line of ["concern", "concern something urgency:extreme", "concern x dob:2010-13-40", "concern x colour:blue", 'concern x dob:2999-01-01']) {
      const r = await h.run("teacher", line);
      expect(r.doc.tone, line).toBe("error");
      expect(r.text, line).toMatch(/Write it as: concern </);
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it("someone outside the directory cannot raise one, and nothing is written", async () => {
    const before = await h.snapshot();
    const r = await h.run("stranger", "concern hello");
    expect(r.text).toMatch(/not in this partnership's directory/);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe("step by step", () => {
  it("asks for each missing field, shows the emergency notice as soon as 'immediate' is answered, and saves at the end", async () => {
    let r = await h.ask("teacher", "concern", null);
    expect(r.text).toMatch(/What is the concern/);
    r = (await h.say("teacher", "Talked about joining a group"))!;
    expect(r.text).toMatch(/name/i);
    r = (await h.say("teacher", "skip"))!;
    expect(r.text).toMatch(/date of birth/i);
    r = (await h.say("teacher", "not a date"))!;
    expect(r.text).toMatch(/real date of birth/);
    r = (await h.say("teacher", "skip"))!;
    expect(r.text).toMatch(/How urgent/);
    r = (await h.say("teacher", "immediate"))!;
    expect(r.text).toMatch(/emergency services/);
    expect(r.text).toMatch(/is with the coordinators/);
    expect(await h.say("teacher", "anything")).toBeNull();
  });

  it("cancel stops and saves nothing", async () => {
    const before = await h.snapshot();
    await h.ask("nurse", "concern", null);
    const r = (await h.say("nurse", "cancel"))!;
    expect(r.text).toMatch(/Cancelled/);
    const after = await h.snapshot();
    expect(after).toEqual(before);
  });
});

describe("screening", () => {
  it("only a coordinator can read a concern, and reading it starts screening", async () => {
    const refused = await h.run("officer", "concern show C-1");
    expect(refused.text).toMatch(/permission/);
    const r = await h.run("coordinator", "concern show C-1", "triage");
    expect(r.visibility).toBe("private");
    expect(r.text).toMatch(/Pupil shared extremist videos/);
    const [c] = await h.db.select().from(concerns).where(eq(concerns.refNo, 1));
    expect(c!.status).toBe("screening");
  });

  it("closing screening tells the raiser the outcome and nothing else", async () => {
    const r = await h.run("coordinator", 'concern screen C-4 no-further-action because:"Known to police, no concern"', "triage");
    expect(r.text).toMatch(/C-4 screened: no further action/);
    const toRaiser = h.rooms.privateMessages.get("officer")!.at(-1)!;
    expect(toRaiser).toMatch(/C-4, has been screened. Outcome: no further action/);
    expect(toRaiser).not.toMatch(/Known to police/);
    const again = await h.run("coordinator", 'concern screen C-4 signposted because:"x"', "triage");
    expect(again.text).toMatch(/already been screened/);
  });

  it("a later referral about someone closed without action shows that history to the coordinators", async () => {
    await h.run("teacher", 'concern Again name:"Peter Parker" dob:2001-02-03');
    expect(triage().at(-1)).toMatch(/Earlier closed without action: C-4/);
  });

  it("accepted is not a screening outcome: the error says to open a case", async () => {
    const r = await h.run("coordinator", 'concern screen C-2 accepted because:"x"', "triage");
    expect(r.text).toMatch(/case open C-n/);
  });

  it("concern list: coordinators see what awaits screening, a raiser sees only their own with status", async () => {
    const c = await h.run("coordinator", "concern list");
    expect(c.text).toMatch(/C-1/);
    expect(c.text).not.toMatch(/^C-4 \|/m);
    const mine = await h.run("officer", "concern list");
    expect(mine.text).toMatch(/C-4: no further action/);
    expect(mine.text).not.toMatch(/C-1/);
  });
});
