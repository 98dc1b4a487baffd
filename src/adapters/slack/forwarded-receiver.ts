import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import type { AckResult, ForwardedEvent } from "../../runtime/app-thread.js";

/**
 * The app thread's Bolt receiver: requests arrive already verified by the
 * front's HTTP receiver (src/adapters/slack/front.ts) and run through the same
 * handlers as on a single thread. What a handler acknowledges goes back to the
 * front, unless the front answered the request at once (slash commands,
 * buttons, events), in which case the handler's `ack()` only marks it done.
 */
export class ForwardedReceiver implements Receiver {
  private app: App | undefined;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  /** Run one request; resolves with what its handler acknowledged, once it does (or once Bolt is done with it unacknowledged). */
  deliver(e: ForwardedEvent): Promise<AckResult> {
    const app = this.app;
    if (!app) return Promise.reject(new Error("the Slack receiver is not initialised"));
    return new Promise<AckResult>((resolve, reject) => {
      let acked = false;
      const event: ReceiverEvent = {
        body: e.body,
        retryNum: e.retryNum,
        retryReason: e.retryReason,
        customProperties: {},
        ack: async (response?: unknown) => {
          if (acked) return;
          acked = true;
          resolve({ response });
        },
      };
      app.processEvent(event).then(
        () => acked || resolve({ unhandled: true }),
        (err: unknown) => (acked ? undefined : reject(err instanceof Error ? err : new Error(String(err)))),
      );
    });
  }
}
