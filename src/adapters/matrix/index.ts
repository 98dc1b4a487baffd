import type { Deps } from "../../commands/define.js";
import type { Dispatcher } from "../../commands/invocation.js";
import type { Db } from "../../db/client.js";
import { translator } from "../../i18n/catalogue.js";
import { createBotClient } from "./client.js";
import { keepCoordinatorsRooms } from "./coordinators-room.js";
import { CreatedRooms } from "./created-rooms.js";
import { pruneProcessedEvents } from "../../domain/processed-events.js";
import { DirectChats } from "./direct-chats.js";
import { MatrixEventHandler } from "./events.js";
import { serverOf } from "./inbound.js";
import { Lease } from "../../domain/lease.js";
import type { RetryOptions } from "./rate-limit.js";
import { MatrixRooms } from "./rooms.js";
import { routeSdkLogs } from "./sdk.js";
import { DbStorageProvider } from "./storage.js";
import { SyncLoop } from "./sync-loop.js";

/** The Matrix adapter: a bot account on a homeserver, syncing while it holds the lease. */

export { E2eeConfigError } from "./client.js";
export { cryptoAvailable } from "./sdk.js";
export { MatrixRooms } from "./rooms.js";

export interface MatrixConfig {
  homeserverUrl: string;
  accessToken: string;
  /** Servers whose users may take part, besides the bot's own. */
  allowedServers?: string[];
  e2ee: boolean;
}

export interface StartMatrixOptions {
  db: Db;
  /** The process's deps: `ports.matrix` is set here, before the first event is handled. */
  deps: Deps;
  dispatcher: Dispatcher;
  config: MatrixConfig;
  /** Where the encryption store lives when E2EE is on. */
  dataDir: string;
  timing?: { leaseTtlMs?: number; renewEveryMs?: number; pollTimeoutMs?: number; choresEveryMs?: number };
  retry?: RetryOptions;
  /** Told when this process starts or stops syncing. */
  onLeadership?: (leading: boolean) => void;
}

export interface MatrixAdapter {
  port: MatrixRooms;
  botUserId: string;
  /** Whether this process is the one syncing now. */
  isLeading(): boolean;
  /** Stop syncing and hand the lease over; a batch being handled is finished first. */
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 6 * 60 * 60 * 1000;

/** Connect the bot account, register its RoomPort in `deps.ports.matrix`, and start contending for the sync lease. */
export async function startMatrix(o: StartMatrixOptions): Promise<MatrixAdapter> {
  const { db, deps } = o;
  const logger = deps.logger.child({ platform: "matrix" });
  routeSdkLogs(logger);
  const timing = { leaseTtlMs: 10_000, renewEveryMs: 3_000, pollTimeoutMs: 30_000, choresEveryMs: 60_000, ...o.timing };

  // The lease is named after the bot account, known only once signed in; the storage asks it before moving the token.
  const leaseRef: { current?: Lease } = {};
  const storage = new DbStorageProvider(db, "matrix:", () => leaseRef.current?.held ?? false);
  const client = createBotClient({ ...o.config, storage, dataDir: o.dataDir, logger, retry: o.retry });
  let botUserId: string;
  try {
    botUserId = await client.getUserId();
  } catch (e) {
    const why = (e as { errcode?: string }).errcode ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`Matrix: could not sign in to ${o.config.homeserverUrl} with MATRIX_ACCESS_TOKEN (${why}). Check both variables (docs/matrix.md).`);
  }
  storage.scopeTo(botUserId);
  const lease = new Lease(db, `matrix-sync:${botUserId}`, timing.leaseTtlMs);
  leaseRef.current = lease;

  const spec = { botUserId, allowedServers: [...new Set([serverOf(botUserId), ...(o.config.allowedServers ?? [])])], e2ee: o.config.e2ee };
  const created = new CreatedRooms(client);
  const dms = new DirectChats(storage);
  const t = translator("en");
  const port = new MatrixRooms(client, spec, created, dms, logger, { removed: t("matrix.removedFromCase"), closed: t("matrix.caseClosed") });
  deps.ports.matrix = port;
  const handler = new MatrixEventHandler({ db, dispatcher: o.dispatcher, registry: deps.registry, client, rooms: port, dms, botUserId, logger });

  let choresAt = 0;
  let prunedAt = 0;
  const loop = new SyncLoop({
    client,
    storage,
    lease,
    logger,
    renewEveryMs: timing.renewEveryMs,
    pollTimeoutMs: timing.pollTimeoutMs,
    onEvent: (kind, roomId, event, initial) => handler.handle(kind, roomId, event, initial),
    onLeadership: (leading) => {
      if (leading) choresAt = 0;
      o.onLeadership?.(leading);
    },
    leaderChores: async () => {
      const now = Date.now();
      if (now - choresAt < timing.choresEveryMs) return;
      choresAt = now;
      try {
        await keepCoordinatorsRooms({ db, client, rooms: port, created, spec, logger });
        if (now - prunedAt > PRUNE_EVERY_MS) {
          prunedAt = now;
          await pruneProcessedEvents(db, "matrix");
        }
      } catch (e) {
        logger.error({ err: e }, "matrix: keeping the coordinators' rooms failed; will retry");
      }
    },
  });
  loop.start();
  logger.info({ allowedServers: spec.allowedServers, e2ee: spec.e2ee }, "matrix: started");
  return {
    port,
    botUserId,
    isLeading: () => loop.isLeading,
    stop: () => loop.stop(),
  };
}
