import type { Db } from "../../db/client.js";
import { defineJobKind, done, type JobKind, type Planner } from "../../scheduler/kinds.js";
import { enqueueJobs } from "../../scheduler/queue.js";
import { keyStatus, rotateKeys } from "./key-rotation.js";
import { runRetention } from "./retention.js";

/**
 * The daily data protection work, for the scheduler: the retention purge, and
 * finishing a key rotation in the background (so rotating needs no downtime,
 * even on the embedded database, where the admin command line cannot run
 * beside the bot). One job per day each, whichever replica claims it; a day
 * missed while the bot was down needs no catching up, since each run erases
 * everything past its period.
 */

export const DATA_PROTECTION_JOBS = { retention: "retention-purge", keys: "keys-rotate" } as const;

/** When the daily run is due (UTC): the quiet hours across Europe. */
const RUN_AT_UTC = "02:30:00";

const day = (d: Date) => d.toISOString().slice(0, 10);

export const dataProtectionPlanner: Planner = {
  name: "data-protection",
  async plan(db: Db, now: Date): Promise<number> {
    const tomorrow = new Date(now.getTime() + 86_400_000);
    return enqueueJobs(
      db,
      [now, tomorrow].flatMap((d) => [
        { kind: DATA_PROTECTION_JOBS.retention, uniqueKey: `retention:${day(d)}`, runAt: new Date(`${day(d)}T${RUN_AT_UTC}Z`), payload: {} },
        { kind: DATA_PROTECTION_JOBS.keys, uniqueKey: `keys-rotate:${day(d)}`, runAt: new Date(`${day(d)}T${RUN_AT_UTC}Z`), payload: {} },
      ]),
    );
  },
};

export const retentionJob: JobKind = defineJobKind({
  kind: DATA_PROTECTION_JOBS.retention,
  async run(ctx) {
    const r = await runRetention(ctx.db, ctx.deps, { now: ctx.now });
    ctx.deps.logger.info({ purged: r.purged.length, held: r.held.length, roomsArchived: r.rooms.archived, roomsWaiting: r.rooms.waiting }, "retention run");
    return done;
  },
});

/** Re-encrypt whatever is still on an older key; nothing (and no audit event) when all is on the current one. */
export const keyRotationJob: JobKind = defineJobKind({
  kind: DATA_PROTECTION_JOBS.keys,
  async run(ctx) {
    const keyring = ctx.deps.keyring;
    const status = await keyStatus(ctx.db, keyring, [keyring.currentKeyId]);
    if (!status.some((k) => !k.current && k.ciphertexts > 0)) return done;
    const r = await rotateKeys(ctx.db, keyring, { actor: "system" });
    ctx.deps.logger.info({ keyId: r.keyId, reencrypted: r.reencrypted, unreadable: r.unreadable }, "key rotation finished in the background");
    return done;
  },
});

export const dataProtectionJobKinds: readonly JobKind[] = [retentionJob, keyRotationJob];
