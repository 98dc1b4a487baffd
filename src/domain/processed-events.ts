import { sql } from "drizzle-orm";
import { rowsOf, type Db } from "../db/client.js";
import type { Platform } from "../ports/rooms.js";

/**
 * Each platform event (a Matrix event id, a Slack trigger id) is acted on once,
 * across restarts, retries and replicas: the first to record it in
 * `processed_events` handles it, everyone else skips it. Recorded before
 * handling, so a crash in the middle loses that one event rather than repeating
 * a command (a decision recorded twice is worse).
 */
export async function claimEvent(db: Db, platform: Platform, eventId: string): Promise<boolean> {
  const rows = await rowsOf<{ event_id: string }>(
    db,
    sql`insert into processed_events (platform, event_id) values (${platform}, ${eventId})
        on conflict do nothing returning event_id`,
  );
  return rows.length > 0;
}

/** Forget ids older than `days`: redelivery never reaches that far back. */
export async function pruneProcessedEvents(db: Db, platform: Platform, days = 30): Promise<void> {
  await db.execute(sql`delete from processed_events where platform = ${platform} and at < now() - ${`${days} days`}::interval`);
}
