import type { Dispatcher, Invocation } from "../commands/invocation.js";
import type { Reply } from "../commands/reply.js";
import type { Metrics } from "../http/metrics.js";

/**
 * The dispatcher as the process uses it: counts commands for /metrics, and
 * knows what is in flight so shutdown can finish it before closing the database.
 */
export class TrackedDispatcher implements Dispatcher {
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly inner: Dispatcher,
    private readonly metrics: Metrics,
  ) {}

  dispatch(inv: Invocation): Promise<Reply> {
    return this.track(inv, () => this.inner.dispatch(inv));
  }

  converse(inv: Invocation): Promise<Reply | null> {
    return this.track(inv, () => this.inner.converse(inv));
  }

  /** Refuse new work and resolve when what is running has finished (or after `timeoutMs`). */
  async drain(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.inFlight === 0) return;
    await Promise.race([new Promise<void>((r) => this.idle.push(r)), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
  }

  get draining(): boolean {
    return this.stopped;
  }

  private async track<R extends Reply | null>(inv: Invocation, fn: () => Promise<R>): Promise<R> {
    if (this.stopped) throw new Error("shutting down: not accepting commands");
    this.inFlight++;
    try {
      const r = await fn();
      this.metrics.inc("roundtable_commands_total", { platform: inv.platform, tone: r?.doc.tone ?? "none" });
      return r;
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
    }
  }
}
