import { plainText, type Block } from "../../commands/reply.js";
import { formatRef } from "../../domain/refs.js";
import type { MemberRow, PartnershipRow } from "../../domain/rows.js";
import type { Attachment } from "../../ports/rooms.js";
import { buildIcs, ICS_CONTENT_TYPE, memberUri, occurrenceUid, type IcsAttendee, type PartStat } from "./ics.js";
import type { RsvpAnswer, SeriesRow } from "./series.js";

/** The calendar invitation of one meeting, as the attachment that goes with its reminders. */

const PARTSTAT: Record<RsvpAnswer, PartStat> = { yes: "ACCEPTED", no: "DECLINED", maybe: "TENTATIVE" };

export const partStat = (answer: RsvpAnswer | undefined): PartStat => (answer ? PARTSTAT[answer] : "NEEDS-ACTION");

export function attendee(m: Pick<MemberRow, "displayName" | "platform" | "platformUserId">, answer?: RsvpAnswer): IcsAttendee {
  return { name: m.displayName, uri: memberUri(m.platform, m.platformUserId), partstat: partStat(answer) };
}

export interface InvitationInput {
  series: SeriesRow;
  partnership: Pick<PartnershipRow, "name" | "slug">;
  startsAt: Date;
  now: Date;
  /** The agenda (or any text) for the event's description. */
  description: Block[];
  attendees: IcsAttendee[];
  method?: "REQUEST" | "CANCEL";
}

/** The .ics attachment for a meeting. */
export function invitationAttachment(i: InvitationInput): Attachment {
  const method = i.method ?? "REQUEST";
  const content = buildIcs({
    method,
    uid: occurrenceUid({ seriesId: i.series.id, partnershipSlug: i.partnership.slug, startsAt: i.startsAt, timeZone: i.series.timeZone }),
    sequence: method === "CANCEL" ? 1 : 0,
    stamp: i.now,
    startsAt: i.startsAt,
    durationMinutes: i.series.durationMinutes,
    timeZone: i.series.timeZone,
    title: `${i.series.title} (${formatRef("series", i.series.refNo)})`,
    location: i.series.place,
    description: plainText({ tone: "info", blocks: i.description }),
    organizer: { name: i.partnership.name, uri: `mailto:checkins@${i.partnership.slug}.roundtable.invalid` },
    attendees: i.attendees,
  });
  return { filename: "checkin.ics", contentType: ICS_CONTENT_TYPE(method), content };
}
