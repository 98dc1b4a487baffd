import ICAL from "ical.js";
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkinSeries, coordinators, meetings, members, roleAssignments, rsvps, scheduledJobs, seriesMutes } from "../src/db/schema.js";
import { createHarness, type Harness } from "./support/harness.js";

/**
 * The check-in commands: a coordinator schedules and cancels, partners look
 * at what is coming, answer, and mute. The harness starts on Monday
 * 2026-11-30, 10:00 UTC; the demo partnership is in Europe/London.
 */

let h: Harness;
const MONDAY = new Date("2026-11-30T10:00:00Z");

beforeAll(async () => {
  h = await createHarness({ now: MONDAY });
  // The demo's roles were assigned at the database's "now"; date them before this test's clock.
  await h.db.update(roleAssignments).set({ fromAt: new Date("2026-01-01T00:00:00Z") });
  await h.db.update(coordinators).set({ since: new Date("2026-01-01T00:00:00Z") });
});
afterAll(async () => {
  await h.close();
});

const roomMessages = () => h.rooms.rooms.get(h.ROOMS.partnership)?.messages ?? [];
const jobsOf = async (seriesId: number) => h.db.select().from(scheduledJobs).where(like(scheduledJobs.uniqueKey, `checkin:${seriesId}:%`));
async function series(ref: number) {
  const [s] = await h.db.select().from(checkinSeries).where(and(eq(checkinSeries.partnershipId, h.demo.partnershipId), eq(checkinSeries.refNo, ref)));
  return s!;
}
async function member(handle: string) {
  const [m] = await h.db.select().from(members).where(eq(members.platformUserId, handle));
  return m!;
}

describe("scheduling", () => {
  it("a coordinator schedules a monthly check-in: the rule, zone and next meetings are confirmed, the room is told with an invitation, and reminders are queued", async () => {
    const r = await h.run("coordinator", 'checkin schedule "Monthly partnership meeting" every:"1st tuesday" at:14:00 place:"Town hall" for:90m');
    expect(r.visibility).toBe("private");
    expect(r.text).toContain("Check-in K-1 scheduled.");
    expect(r.text).toContain("Meets: every month on the first Tuesday at 14:00");
    expect(r.text).toContain("Time zone: Europe/London");
    expect(r.text).toContain("Length: 90 minutes");
    expect(r.text).toContain("Reminders: 1 day before, 1 hour before");
    expect(r.text).toContain("Next meetings: Tuesday 1 December 2026, 14:00; Tuesday 5 January 2027, 14:00; Tuesday 2 February 2027, 14:00");
    expect(roomMessages().at(-1)).toContain("New check-in K-1: Monthly partnership meeting");
    const invite = h.rooms.attachments.at(-1)!;
    expect(invite.to).toBe(h.ROOMS.partnership);
    expect(invite.attachment.contentType).toContain("method=REQUEST");
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(invite.attachment.content)).getFirstSubcomponent("vevent")!);
    expect(event.summary).toBe("Monthly partnership meeting (K-1)");

    const s = await series(1);
    expect(s).toMatchObject({ timeOfDay: "14:00", timeZone: "Europe/London", durationMinutes: 90, reminderOffsetsMinutes: [1440, 60], invitedAgencyIds: [] });
    // Six partners and the partnership room, at 24 h and 1 h, for the meeting on 1 December.
    const jobs = await jobsOf(s.id);
    expect(jobs).toHaveLength(14);
    expect(new Set(jobs.map((j) => j.runAt.toISOString()))).toEqual(new Set(["2026-11-30T14:00:00.000Z", "2026-12-01T13:00:00.000Z"]));
  });

  it("takes a zone, reminder offsets, a start, an end and invited agencies", async () => {
    const r = await h.run("coordinator", 'checkin schedule "Education and health" every:"2w on thursday" at:9:30 tz:Europe/Paris remind:2d,30m from:2026-12-07 until:2027-03-31 with:education,health');
    expect(r.text).toContain("Check-in K-2 scheduled.");
    expect(r.text).toContain("every 2 weeks on Thursday at 09:30");
    expect(r.text).toContain("Reminders: 2 days before, 30 minutes before");
    expect(r.text).toContain("Invited: education, health");
    expect(r.text).toContain("Next meetings: Thursday 10 December 2026, 09:30");
    const s = await series(2);
    expect(s.invitedAgencyIds).toHaveLength(2);
    expect(s.untilOn).toBe("2027-03-31");
  });

  it.each([
    ['checkin schedule "X" every:fortnightly-ish at:10:00', "`every:` is not a rule we know"],
    ['checkin schedule "X" every:week at:25:00', "`at:` is not a time of day"],
    ['checkin schedule "X" every:week at:10:00 tz:Mars/Olympus', "`tz:` is not a time zone"],
    ['checkin schedule "X" every:week at:10:00 remind:1m', "`remind:` is not a list of reminder times"],
    ['checkin schedule "X" every:week at:10:00 for:12h', "`for:` is not a meeting length"],
    ['checkin schedule "X" every:week at:10:00 from:2026-12-10 until:2026-12-01', "`until:` 2026-12-01 is before the first meeting"],
    ['checkin schedule "X" every:week at:10:00 from:2026-01-01', "`from:` 2026-01-01 is in the past"],
    ['checkin schedule "X" every:"month on 15" at:10:00 from:2026-12-01 until:2026-12-10', "That rule gives no meeting from 2026-12-01 until 2026-12-10"],
    ['checkin schedule "X" every:week at:10:00 with:"Nowhere Agency"', "Nowhere Agency"],
    ["checkin schedule every:week at:10:00", "The text is missing"],
  ])("%s is refused with a clear error, and nothing changes", async (line, error) => {
    const before = await h.snapshot();
    const r = await h.run("coordinator", line);
    expect(r.visibility).toBe("private");
    expect(r.text).toContain(error);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe("looking ahead", () => {
  it("a partner lists the series with the next meeting in their own time zone", async () => {
    await h.db.update(members).set({ timeZone: "America/New_York" }).where(eq(members.id, (await member("teacher")).id));
    const r = await h.run("teacher", "checkin list");
    expect(r.text).toContain("K-1 · Monthly partnership meeting · every month on the first Tuesday at 14:00 (Europe/London) · next: Tuesday 1 December 2026, 09:00 (America/New_York)");
    expect(r.text).toContain("K-2 · Education and health");
  });

  it("next shows the soonest meeting, in both zones when they differ, with the answers so far", async () => {
    const r = await h.run("teacher", "checkin next");
    expect(r.text).toContain("Next check-in: Monthly partnership meeting (K-1)");
    expect(r.text).toContain("When: Tuesday 1 December 2026, 09:00 (America/New_York); Tuesday 1 December 2026, 14:00 in Europe/London, the meeting's time zone");
    expect(r.text).toContain("Your answer: not answered yet");
    expect(r.text).toContain("Also coming up");
  });

  it("the agenda of the next meeting is shown on demand", async () => {
    const r = await h.run("officer", "checkin agenda K-1");
    expect(r.text).toContain("Agenda: Monthly partnership meeting (K-1)");
    expect(r.text).toContain("No case is due for review.");
  });

  it("an unknown ref is a clear error", async () => {
    expect((await h.run("officer", "checkin next K-99")).text).toContain("There is no check-in K-99");
    expect((await h.run("officer", "checkin next tomorrow")).text).toContain("must be one check-in ref, like K-3");
  });
});

describe("answering", () => {
  it("a partner answers for the next meeting, and can change their answer", async () => {
    expect((await h.run("officer", "checkin rsvp yes K-1")).text).toContain("Your answer for K-1 on Tuesday 1 December 2026, 14:00 (Europe/London): yes.");
    const r = await h.run("officer", "checkin rsvp no");
    expect(r.text).toContain(": no.");
    expect(r.text).toContain("You will get no more reminders for this meeting.");
    const rows = await h.db.select().from(rsvps);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.answer).toBe("no");
    expect((await h.run("officer", "checkin next K-1")).text).toContain("Answers: 0 yes, 1 no, 0 maybe");
  });

  it("answers a later meeting by its date", async () => {
    const r = await h.run("nurse", "checkin rsvp maybe K-1 on:2027-01-05");
    expect(r.text).toContain("Tuesday 5 January 2027, 14:00");
    expect((await h.run("nurse", "checkin rsvp maybe K-1 on:2027-01-06")).text).toContain("K-1 has no meeting on 2027-01-06.");
    expect((await h.run("nurse", "checkin rsvp maybe on:2027-01-05")).text).toContain("needs the check-in ref too");
  });

  it("a partner whose agency is not invited cannot answer, and nothing changes", async () => {
    const before = await h.snapshot();
    expect((await h.run("social", "checkin rsvp yes K-2")).text).toContain("You are not among the partners invited to K-2.");
    expect(await h.snapshot()).toEqual(before);
  });

  it("a partner mutes a series for themself, and unmutes it", async () => {
    expect((await h.run("youth", "checkin mute K-1")).text).toContain("You will get no reminders of K-1");
    expect((await h.run("youth", "checkin mute K-1")).text).toContain("You had already muted K-1.");
    expect((await h.run("youth", "checkin list")).text).toContain("muted for you");
    expect(await h.db.select().from(seriesMutes)).toHaveLength(1);
    expect((await h.run("youth", "checkin unmute K-1")).text).toContain("again");
    expect(await h.db.select().from(seriesMutes)).toHaveLength(0);
    await h.run("youth", "checkin mute K-1");
  });
});

describe("cancelling", () => {
  it("a coordinator cancels one meeting: its reminders are dropped, the room gets a calendar cancellation, the series goes on", async () => {
    const s = await series(1);
    const r = await h.run("coordinator", "checkin cancel K-1 on:2026-12-01");
    expect(r.text).toContain("The meeting of K-1 on Tuesday 1 December 2026, 14:00 (Europe/London) is cancelled; the series goes on.");
    const [m] = await h.db.select().from(meetings).where(and(eq(meetings.seriesId, s.id), eq(meetings.startsAt, new Date("2026-12-01T14:00:00Z"))));
    expect(m!.cancelled).toBe(true);
    expect((await jobsOf(s.id)).every((j) => j.status === "dropped" && j.lastError === "meeting cancelled")).toBe(true);
    const cancel = h.rooms.attachments.at(-1)!.attachment;
    expect(cancel.content).toContain("METHOD:CANCEL");
    expect(cancel.content).toContain("UID:checkin-");
    expect(roomMessages().at(-1)).toContain("is cancelled");
    expect((await h.run("officer", "checkin next K-1")).text).toContain("Tuesday 5 January 2027, 14:00");
    expect((await h.run("coordinator", "checkin cancel K-1 on:2026-12-01")).text).toContain("is cancelled");
  });

  it("a meeting that has started can no longer be cancelled", async () => {
    h.setNow(new Date("2027-01-05T14:30:00Z"));
    expect((await h.run("coordinator", "checkin cancel K-1 on:2027-01-05")).text).toContain("has already started");
    h.setNow(MONDAY);
  });

  it("attendance is recorded for the last meeting held", async () => {
    expect((await h.run("coordinator", "checkin attended K-2 @teacher")).text).toContain("K-2 has had no meeting yet.");
    h.setNow(new Date("2026-12-10T12:00:00Z"));
    const r = await h.run("coordinator", "checkin attended K-2 @teacher @nurse");
    expect(r.text).toContain("2 partners attended");
    const rows = await h.db.select().from(rsvps).where(eq(rsvps.attended, true));
    expect(rows.map((x) => x.memberId).sort()).toEqual([(await member("teacher")).id, (await member("nurse")).id].sort());
    h.setNow(MONDAY);
  });

  it("a coordinator cancels a whole series: no more meetings or reminders", async () => {
    const s = await series(2);
    expect((await h.run("coordinator", "checkin cancel K-2")).text).toContain("Check-in K-2 is cancelled");
    expect((await series(2)).cancelledAt).not.toBeNull();
    expect((await jobsOf(s.id)).every((j) => j.status === "dropped")).toBe(true);
    expect((await h.run("teacher", "checkin list")).text).not.toContain("K-2");
    expect((await h.run("coordinator", "checkin cancel K-2")).text).toContain("K-2 has been cancelled.");
  });

  it("only a coordinator schedules or cancels, and a refusal changes nothing", async () => {
    const before = await h.snapshot();
    expect((await h.run("officer", 'checkin schedule "Mine" every:week at:10:00')).text).toContain("do not have permission");
    expect((await h.run("officer", "checkin cancel K-1")).text).toContain("do not have permission");
    expect((await h.run("stranger", "checkin list")).text).toContain("not in this partnership's directory");
    expect(await h.snapshot()).toEqual(before);
  });
});
