/**
 * Posting paced per channel: Slack allows about one message a second in a
 * channel, so messages to one channel are sent one after another, at least
 * `intervalMs` apart, in the order they were queued. Channels do not wait on
 * each other. Nothing is dropped: a queued send runs even if an earlier one failed.
 */
export class Pacer {
  private readonly lanes = new Map<string, { tail: Promise<void>; lastAt: number; queued: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Run `send` in `channel`'s lane, after what is already queued there. */
  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(channel) ?? { tail: Promise.resolve(), lastAt: 0, queued: 0 };
    this.lanes.set(channel, lane);
    lane.queued++;
    const result = lane.tail.then(async () => {
      const wait = lane.lastAt + this.intervalMs - Date.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await send();
      } finally {
        lane.lastAt = Date.now();
        lane.queued--;
        if (lane.queued === 0) setTimeout(() => this.forget(channel, lane), this.intervalMs).unref();
      }
    });
    lane.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Messages waiting or being sent. */
  get queued(): number {
    let n = 0;
    for (const l of this.lanes.values()) n += l.queued;
    return n;
  }

  /** Resolves when every queued message has been sent (or has failed). */
  async idle(): Promise<void> {
    while (this.queued > 0) await Promise.all([...this.lanes.values()].map((l) => l.tail));
  }

  private forget(channel: string, lane: { queued: number }) {
    if (lane.queued === 0 && this.lanes.get(channel) === lane) this.lanes.delete(channel);
  }
}
