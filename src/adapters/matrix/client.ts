import { join } from "node:path";
import type { Logger } from "../../log.js";
import { withRateLimitRetry, type RetryOptions } from "./rate-limit.js";
import { cryptoAvailable, cryptoUnavailableReason, sdk, SQLITE_STORE_TYPE, type IStorageProvider, type MatrixClient } from "./sdk.js";

/**
 * The SDK client as Roundtable uses it: every request honours rate limits,
 * and the SDK's own sync loop is switched off (start() only prepares), because
 * the sync loop is ours: it runs only while this process holds the lease.
 */
export interface BotClientOptions {
  homeserverUrl: string;
  accessToken: string;
  storage: IStorageProvider;
  e2ee: boolean;
  /** Where the encryption store lives when E2EE is on (one per bot account). */
  dataDir: string;
  logger: Logger;
  retry?: RetryOptions;
}

/** Thrown at start when MATRIX_E2EE is on but encryption cannot work here. */
export class E2eeConfigError extends Error {
  override readonly name = "E2eeConfigError";
}

/** One /sync response, as far as we read it. */
export interface SyncBatch {
  next_batch: string;
  [k: string]: unknown;
}

export type EmitFn = (eventType: string, ...payload: unknown[]) => Promise<unknown>;

/** The SDK client plus the two sync steps our loop drives. */
export type BotClient = MatrixClient & {
  /** One long poll from `token` (null: initial sync). */
  syncOnce(token: string | null): Promise<SyncBatch>;
  /** Hand a batch to the SDK, which emits its events (decrypting where it can) through `emit`, awaited one by one. */
  processBatch(batch: SyncBatch, emit: EmitFn): Promise<void>;
};

export function createBotClient(opts: BotClientOptions): BotClient {
  if (opts.e2ee && !cryptoAvailable) {
    throw new E2eeConfigError(
      `MATRIX_E2EE is on, but end-to-end encryption is not available on this machine: the native module ` +
        `@matrix-org/matrix-sdk-crypto-nodejs did not load (${cryptoUnavailableReason}). ` +
        `Turn MATRIX_E2EE off, or install that module's binary for this platform (see docs/matrix.md).`,
    );
  }
  const retry: RetryOptions = {
    ...opts.retry,
    onLimited: (waitMs, attempt) => {
      opts.logger.warn({ waitMs, attempt }, "matrix: rate limited, waiting as the homeserver asks");
      opts.retry?.onLimited?.(waitMs, attempt);
    },
  };

  class RoundtableClient extends sdk.MatrixClient {
    override doRequest(...args: Parameters<MatrixClient["doRequest"]>): Promise<unknown> {
      return withRateLimitRetry(() => super.doRequest(...args), retry);
    }

    // start() prepares (joined rooms, filter, encryption) and then calls this: our loop syncs instead.
    override startSyncInternal(): Promise<unknown> {
      return Promise.resolve();
    }

    syncOnce(token: string | null): Promise<SyncBatch> {
      return this.doSync(token as string) as Promise<SyncBatch>;
    }

    async processBatch(batch: SyncBatch, emit: EmitFn): Promise<void> {
      await this.processSync(batch, emit);
    }
  }

  const cryptoStore = opts.e2ee
    ? new sdk.RustSdkCryptoStorageProvider(join(opts.dataDir, "matrix-crypto"), SQLITE_STORE_TYPE as never)
    : undefined;
  return new RoundtableClient(opts.homeserverUrl, opts.accessToken, opts.storage, cryptoStore);
}
