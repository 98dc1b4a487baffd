import ICAL from "ical.js";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agencies, checkinSeries, coordinators, members, roleAssignments, roles, rsvps, scheduledJobs, seriesMutes } from "../src/db/schema.js";
import { createScheduler, type Scheduler } from "../src/scheduler/engine.js";
import { ALL_JOB_KINDS, ALL_PLANNERS } from "../src/scheduler/all.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * Done when a coordinator schedules a monthly check-in and every partner gets
 * correct, single reminders with a working calendar invitation: the whole
 * path from the command to the delivered message, on the scheduler.
 */

const PARTNERS = ["coordinator", "officer", "teacher", "nurse", "social", "youth"];
/** Schedule as the coordinator; the new series' ref. */
async function schedule(args: string): Promise<string> {
  const r = await h.run("coordinator", `checkin schedule ${args}`);
  return /Check-in (K-\d+) scheduled/.exec(r.text)![1]!;
}
let h: Harness;
let s: Scheduler;

beforeAll(async () => {
  h = await createHarness();
  // The demo's roles were assigned at the database's "now"; date them before this test's clock.
  await h.db.update(roleAssignments).set({ fromAt: new Date("2026-01-01T00:00:00Z") });
  await h.db.update(coordinators).set({ since: new Date("2026-01-01T00:00:00Z") });
  s = createScheduler({ db: h.db, deps: h.deps, workerId: "test", kinds: ALL_JOB_KINDS, planners: ALL_PLANNERS });
});
afterAll(async () => {
  await h.close();
});
/** Each test starts on Monday 2026-11-30, 10:00, with no series, jobs, answers or messages left from the one before. */
beforeEach(async () => {
  h.setNow(new Date("2026-11-30T10:00:00Z"));
  await h.db.update(checkinSeries).set({ cancelledAt: new Date("2026-11-30T10:00:00Z") });
  await h.db.delete(scheduledJobs);
  await h.db.delete(rsvps);
  await h.db.delete(seriesMutes);
  await h.db.update(members).set({ timeZone: null });
  h.rooms.privateMessages.clear();
  h.rooms.rooms.clear();
  h.rooms.attachments.length = 0;
});

const dms = (handle: string) => h.rooms.privateMessages.get(handle) ?? [];
const room = () => h.rooms.rooms.get(h.ROOMS.partnership)?.messages ?? [];
/** Move the clock and let the scheduler do what is due, twice, as successive ticks would. */
async function at(iso: string) {
  h.setNow(new Date(iso));
  await s.tick({ plan: true });
  await s.tick({ plan: true });
}
function parseInvite(content: string) {
  const cal = new ICAL.Component(ICAL.parse(content));
  for (const tz of cal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
  return { cal, event: new ICAL.Event(cal.getFirstSubcomponent("vevent")!) };
}

describe("reminders of a monthly check-in", () => {
  it("every partner and the room get exactly one reminder at each offset, with the agenda and an invitation that imports at the right time", async () => {
    const ref = await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00 place:"Town hall"');
    h.rooms.attachments.length = 0;
    await at("2026-11-30T13:59:00Z");
    expect(PARTNERS.map((p) => dms(p).length)).toEqual([0, 0, 0, 0, 0, 0]);

    await at("2026-11-30T14:00:00Z");
    await at("2026-11-30T14:05:00Z");
    expect(PARTNERS.map((p) => dms(p).length)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(room().filter((m) => m.startsWith("Check-in in 1 day"))).toHaveLength(1);
    const first = dms("officer")[0]!;
    expect(first).toContain(`Check-in in 1 day: Monthly partnership meeting (${ref})`);
    expect(first).toContain("When: Tuesday 1 December 2026, 14:00 (Europe/London)");
    expect(first).toContain("Where: Town hall");
    expect(first).toContain("No case is due for review.");
    expect(first).toContain(`checkin rsvp yes|no|maybe ${ref} on:2026-12-01`);
    expect(first).not.toContain("Late");

    // Seven invitations (six partners, one room), all the same occurrence, each importing at 14:00 London time.
    expect(h.rooms.attachments).toHaveLength(7);
    const uids = new Set<string>();
    for (const { to, attachment } of h.rooms.attachments) {
      expect(attachment.filename).toBe("checkin.ics");
      expect(attachment.contentType).toContain("method=REQUEST");
      const { cal, event } = parseInvite(attachment.content);
      expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
      expect(event.startDate.toJSDate().toISOString()).toBe("2026-12-01T14:00:00.000Z");
      expect(event.location).toBe("Town hall");
      if (to !== h.ROOMS.partnership) expect(event.attendees.map((a) => a.getFirstValue())).toEqual([`urn:roundtable:console:${to}`]);
      uids.add(event.uid);
    }
    expect(uids.size).toBe(1);

    await at("2026-12-01T13:00:00Z");
    await at("2026-12-01T13:30:00Z");
    expect(PARTNERS.map((p) => dms(p).length)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(dms("nurse")[1]).toContain("Check-in in 1 hour");
    const second = parseInvite(h.rooms.attachments.at(-1)!.attachment.content).event;
    expect(uids.has(second.uid)).toBe(true);
    const jobs = await h.db.select().from(scheduledJobs).where(eq(scheduledJobs.kind, "checkin.reminder"));
    expect(jobs.filter((j) => j.status === "done")).toHaveLength(14);
  });

  it("a partner who answered no gets no further reminders for that meeting; a partner who muted the series gets none", async () => {
    const ref = await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00');
    await h.run("youth", `checkin mute ${ref}`);
    await at("2026-11-30T14:00:00Z");
    expect(dms("officer")).toHaveLength(1);
    expect(dms("youth")).toHaveLength(0);
    await h.run("officer", `checkin rsvp no ${ref}`);
    await h.run("teacher", `checkin rsvp yes ${ref}`);
    await at("2026-12-01T13:00:00Z");
    expect(dms("officer")).toHaveLength(1);
    expect(dms("youth")).toHaveLength(0);
    expect(dms("teacher")).toHaveLength(2);
    expect(dms("teacher")[1]).toContain("Your answer: yes");
    const dropped = await h.db.select().from(scheduledJobs).where(eq(scheduledJobs.status, "dropped"));
    expect(dropped.map((j) => j.lastError).sort()).toEqual(["answered no", "muted", "muted"]);
  });

  it("times are shown in the partner's own time zone where the platform knows it", async () => {
    await h.db.update(members).set({ timeZone: "Australia/Sydney" }).where(eq(members.platformUserId, "nurse"));
    await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00');
    await at("2026-11-30T14:00:00Z");
    expect(dms("nurse")[0]).toContain("When: Wednesday 2 December 2026, 01:00 (Australia/Sydney); Tuesday 1 December 2026, 14:00 in Europe/London, the meeting's time zone");
  });

  it("a partner who joins after scheduling is invited from then on", async () => {
    await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00');
    const [homes] = await h.db.select().from(agencies).where(eq(agencies.name, "Northfield Homes"));
    const [m] = await h.db.insert(members).values({ partnershipId: h.demo.partnershipId, platform: "console", platformUserId: "housing", displayName: "Hana Housing", agencyId: homes!.id }).returning();
    const [role] = await h.db.select().from(roles).where(eq(roles.agencyId, homes!.id));
    await h.db.insert(roleAssignments).values({ roleId: role!.id, memberId: m!.id, fromAt: new Date("2026-11-30T11:00:00Z") });
    await at("2026-11-30T14:00:00Z");
    expect(dms("housing")).toHaveLength(1);
  });
});

describe("after downtime", () => {
  it("a missed reminder is sent late and says so", async () => {
    await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00');
    await at("2026-11-30T17:30:00Z");
    expect(dms("officer")).toHaveLength(1);
    expect(dms("officer")[0]).toContain("Late: this reminder was due Mon 30 Nov, 14:00; the bot was offline then.");
    expect(dms("officer")[0]).toContain("Check-in in 21 hours");
  });

  it("when a closer reminder is already due, only that one goes out", async () => {
    await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00');
    await at("2026-12-01T13:20:00Z");
    expect(dms("officer")).toHaveLength(1);
    expect(dms("officer")[0]).toContain("Check-in in 40 minutes");
    expect(dms("officer")[0]).toContain("Late: this reminder was due Tue 1 Dec, 13:00");
  });

  it("once the meeting has started, missed reminders are dropped, not sent", async () => {
    await schedule('"Monthly partnership meeting" every:"1st tuesday" at:14:00');
    await at("2026-12-01T14:01:00Z");
    expect(PARTNERS.map((p) => dms(p).length)).toEqual([0, 0, 0, 0, 0, 0]);
    const jobs = await h.db.select().from(scheduledJobs).where(eq(scheduledJobs.kind, "checkin.reminder"));
    expect(jobs.every((j) => j.status === "dropped")).toBe(true);
  });
});

describe("working hours", () => {
  it("a day-before reminder that falls on a Sunday arrives at 09:00 on Monday; the hour-before one is on time", async () => {
    await schedule('"Monday meeting" every:monday at:14:00 from:2026-12-07');
    await at("2026-12-06T14:00:00Z");
    expect(dms("officer")).toHaveLength(0);
    await at("2026-12-07T09:00:00Z");
    expect(dms("officer")).toHaveLength(1);
    expect(dms("officer")[0]).not.toContain("Late");
    await at("2026-12-07T13:00:00Z");
    expect(dms("officer")).toHaveLength(2);
  });

  it("an urgent reminder outside working hours is not held back", async () => {
    await schedule('"Saturday event" every:saturday at:10:00 from:2026-12-05 remind:1h');
    await at("2026-12-05T09:00:00Z");
    expect(dms("officer")).toHaveLength(1);
  });

  it("before each meeting the room is reminded of the referral cut-off, in working hours", async () => {
    await schedule('"Monthly partnership meeting" every:"month on 10" at:14:00');
    await at("2026-12-07T14:00:00Z");
    const notice = room().find((m) => m.startsWith("Referral cut-off"));
    expect(notice).toContain("Concerns raised before Tuesday 8 December 2026, 14:00 go on the agenda of the meeting on Thursday 10 December 2026, 14:00");
    expect(room().filter((m) => m.startsWith("Referral cut-off"))).toHaveLength(1);
  });
});
