import { and, count, eq, inArray, isNotNull, isNull, lt } from "drizzle-orm";
import { appendAudit } from "../../audit/audit.js";
import type { Deps } from "../../commands/define.js";
import { doc, text } from "../../commands/reply.js";
import type { Db } from "../../db/client.js";
import { cases, conversations, partnerships, rooms } from "../../db/schema.js";
import { coordinatorAudience, tellCoordinators } from "../../domain/notify.js";
import { translator } from "../../i18n/catalogue.js";
import { purgeCase, purgeConcern } from "./purge.js";
import { findDue, type RetentionItem } from "./retention-due.js";

export type { RetentionItem } from "./retention-due.js";

/**
 * The daily retention run (SPEC §3 "Retention"): erase what is past its period,
 * archive the rooms of erased cases, drop step-by-step conversations abandoned
 * half-way (they hold what was typed, unencrypted), tell the coordinators, and
 * audit it all. A dry run lists what would go and changes nothing but the audit log.
 * Safe to run twice or on several replicas at once: each erasure locks its row.
 */

/** Abandoned conversations (a concern typed half-way) are dropped after this many days. */
export const CONVERSATION_RETENTION_DAYS = 30;

export interface RetentionReport {
  dryRun: boolean;
  at: string;
  /** Past their period: what went, or on a dry run what would go. */
  due: RetentionItem[];
  /** What was erased by this run (empty on a dry run). */
  purged: RetentionItem[];
  /** Closed cases past their period that a legal hold keeps. */
  held: RetentionItem[];
  rooms: {
    /** Case rooms of erased cases still to archive (on a dry run, including those of cases due now). */
    toArchive: number;
    archived: number;
    /** Left for a later run: their platform is not running here, or archiving failed. */
    waiting: number;
  };
  conversations: number;
}

export interface RetentionOptions {
  dryRun?: boolean;
  now?: Date;
  /** Who runs it, for the audit log: `system` for the scheduler, `admin:<user>` for the command line. */
  actor?: string;
  /** One partnership only; all by default. */
  partnershipId?: number;
}

export async function runRetention(db: Db, deps: Deps, opts: RetentionOptions = {}): Promise<RetentionReport> {
  const now = opts.now ?? deps.clock();
  const dryRun = opts.dryRun ?? false;
  const actor = opts.actor ?? "system";
  const due = await findDue(db, now, opts.partnershipId);
  const staleBefore = new Date(now.getTime() - CONVERSATION_RETENTION_DAYS * 86_400_000);
  const staleWhere = and(
    lt(conversations.updatedAt, staleBefore),
    opts.partnershipId === undefined ? undefined : eq(conversations.partnershipId, opts.partnershipId),
  );

  const purged: RetentionItem[] = [];
  let conversationsGone = 0;
  if (dryRun) {
    const [n] = await db.select({ n: count() }).from(conversations).where(staleWhere);
    conversationsGone = Number(n?.n ?? 0);
  } else {
    for (const item of [...due.cases, ...due.concerns]) {
      try {
        const r = item.kind === "case" ? await purgeCase(db, item, { now, actor }) : await purgeConcern(db, item, { now, actor });
        if (r) purged.push(item);
      } catch (e) {
        // One record that cannot be erased must not keep the others: it is tried again tomorrow.
        deps.logger.error({ err: e, object: item.ref }, "retention purge failed for one record");
      }
    }
    conversationsGone = (await db.delete(conversations).where(staleWhere).returning({ id: conversations.id })).length;
  }

  const roomReport = dryRun ? { toArchive: await roomsToArchive(db, due.cases), archived: 0, waiting: 0 } : await archiveRooms(db, deps, now, opts.partnershipId);

  // One event per partnership per run, even when nothing was due: the evidence that the purge runs.
  const ps = await db.select().from(partnerships).where(opts.partnershipId === undefined ? undefined : eq(partnerships.id, opts.partnershipId));
  for (const p of ps) {
    const mine = (xs: RetentionItem[]) => xs.filter((x) => x.partnershipId === p.id);
    const done = mine(dryRun ? due.cases.concat(due.concerns) : purged);
    await appendAudit(db, {
      chain: p.id,
      actor,
      action: dryRun ? "retention dry-run" : "retention run",
      outcome: "system",
      detail: {
        cases: done.filter((x) => x.kind === "case").length,
        concerns: done.filter((x) => x.kind === "concern").length,
        held: mine(due.held).length,
        retentionMonths: p.retentionMonths,
        concernRetentionMonths: p.concernRetentionMonths,
      },
    });
    if (!dryRun && done.length > 0) {
      const t = translator(p.locale);
      const audience = await coordinatorAudience(db, p.id);
      const note = doc("info", text(t("dataprotection.retention.notice", { refs: done.map((x) => x.ref), held: mine(due.held).map((x) => x.ref) })));
      await tellCoordinators(deps, audience, note).catch((e: unknown) => deps.logger.error({ err: e }, "could not tell the coordinators about a purge"));
    }
  }
  return { dryRun, at: now.toISOString(), due: [...due.cases, ...due.concerns], purged, held: due.held, rooms: roomReport, conversations: conversationsGone };
}

async function roomsToArchive(db: Db, dueCases: RetentionItem[]): Promise<number> {
  const pending = await db
    .select({ n: count() })
    .from(rooms)
    .innerJoin(cases, eq(cases.id, rooms.caseId))
    .where(and(eq(rooms.purpose, "case"), isNull(rooms.archivedAt), isNotNull(cases.purgedAt)));
  const dueIds = dueCases.map((c) => c.id);
  const ofDue = dueIds.length
    ? await db.select({ n: count() }).from(rooms).where(and(eq(rooms.purpose, "case"), isNull(rooms.archivedAt), inArray(rooms.caseId, dueIds)))
    : [{ n: 0 }];
  return Number(pending[0]?.n ?? 0) + Number(ofDue[0]?.n ?? 0);
}

/**
 * Archive every room of an erased case that is not archived yet: Slack channels
 * are archived, Matrix rooms emptied and left (each adapter's `archive`). A room
 * whose platform is not running here (e.g. the admin command line) waits for the bot's next run.
 */
async function archiveRooms(db: Db, deps: Deps, now: Date, partnershipId: number | undefined): Promise<RetentionReport["rooms"]> {
  const pending = await db
    .select({ room: rooms })
    .from(rooms)
    .innerJoin(cases, eq(cases.id, rooms.caseId))
    .where(
      and(
        eq(rooms.purpose, "case"),
        isNull(rooms.archivedAt),
        isNotNull(cases.purgedAt),
        partnershipId === undefined ? undefined : eq(rooms.partnershipId, partnershipId),
      ),
    );
  let archived = 0;
  let waiting = 0;
  for (const { room } of pending) {
    const port = deps.ports[room.platform];
    if (!port) {
      waiting++;
      continue;
    }
    try {
      await port.archive(room.platformRoomId);
      await db.update(rooms).set({ archivedAt: now }).where(eq(rooms.id, room.id));
      archived++;
    } catch (e) {
      waiting++;
      deps.logger.error({ err: e, platform: room.platform }, "could not archive a purged case's room; will retry");
    }
  }
  return { toArchive: pending.length, archived, waiting };
}
