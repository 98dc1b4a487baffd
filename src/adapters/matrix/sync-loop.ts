import type { Logger } from "../../log.js";
import type { BotClient, SyncBatch } from "./client.js";
import type { Lease } from "../../domain/lease.js";
import type { DbStorageProvider } from "./storage.js";

/**
 * The one sync loop: it runs only while this process holds the lease, so with
 * several bot processes on one database exactly one syncs, and another takes
 * over within a lease period when it dies. A batch is processed only if the
 * lease is still held when it arrives, and the token is saved after the batch
 * is handled, so a restart redelivers rather than loses (and redelivery is
 * deduplicated by event id).
 */

export type BatchHandler = (kind: string, roomId: string, event: Record<string, unknown>, initial: boolean) => Promise<void>;

export interface SyncLoopOptions {
  client: BotClient;
  storage: DbStorageProvider;
  lease: Lease;
  logger: Logger;
  onEvent: BatchHandler;
  /** How often the lease is renewed (and, when not held, tried). */
  renewEveryMs: number;
  /** Long-poll timeout of one /sync. */
  pollTimeoutMs: number;
  /** Called when this process starts or stops syncing (for logs and tests). */
  onLeadership?: (leading: boolean) => void;
  /** Extra work for the leader, run at each renewal (e.g. keeping the coordinators' rooms right). */
  leaderChores?: () => Promise<void>;
}

export class SyncLoop {
  private stopped = false;
  private leading = false;
  private running: Promise<void> | null = null;
  private processing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly o: SyncLoopOptions) {
    o.client.syncingTimeout = o.pollTimeoutMs;
  }

  get isLeading(): boolean {
    return this.leading;
  }

  /** Start contending for the lease; returns at once. */
  start(): void {
    void this.tick();
  }

  /** Stop syncing and give the lease up so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    // A batch being handled is finished; a long poll in flight is abandoned (its events come to the next leader).
    await this.processing;
    await this.o.lease.release().catch((e: unknown) => this.o.logger.warn({ err: e }, "matrix: could not release the sync lease"));
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const held = await this.o.lease.acquire();
      if (held && !this.running) this.running = this.run().finally(() => (this.running = null));
      if (held) await this.o.leaderChores?.();
    } catch (e) {
      this.o.logger.warn({ err: e }, "matrix: could not renew the sync lease");
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.o.renewEveryMs);
  }

  private setLeading(leading: boolean): void {
    this.leading = leading;
    this.o.logger.info({ holder: this.o.lease.holder }, leading ? "matrix: syncing (this process holds the lease)" : "matrix: stopped syncing");
    this.o.onLeadership?.(leading);
  }

  private async run(): Promise<void> {
    const { client, storage, lease } = this.o;
    this.setLeading(true);
    try {
      await client.start(); // prepares (joined rooms, encryption); our loop does the syncing
      let token = await storage.getSyncToken();
      while (!this.stopped && lease.held) {
        let batch: SyncBatch;
        try {
          batch = await client.syncOnce(token);
        } catch (e) {
          if (this.stopped) break;
          this.o.logger.warn({ errcode: (e as { errcode?: string }).errcode }, "matrix: sync failed; retrying");
          await this.pause(2000);
          continue;
        }
        // Lost the lease while waiting: the new leader will receive these events; don't touch them.
        if (this.stopped || !lease.held) break;
        const initial = token === null;
        this.processing = this.process(batch, initial);
        await this.processing;
        this.processing = null;
        token = batch.next_batch;
        await storage.setSyncToken(token);
      }
    } catch (e) {
      this.o.logger.error({ err: e }, "matrix: the sync loop failed; it restarts at the next lease renewal");
    } finally {
      this.processing = null;
      this.setLeading(false);
    }
  }

  private async process(batch: SyncBatch, initial: boolean): Promise<void> {
    const { client } = this.o;
    await client.processBatch(batch, async (kind, ...payload) => {
      client.emit(kind, ...payload);
      if (typeof payload[0] === "string" && payload[1] && typeof payload[1] === "object") {
        await this.o.onEvent(kind, payload[0], payload[1] as Record<string, unknown>, initial);
      }
    });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }
}
