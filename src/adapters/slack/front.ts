import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { HTTPReceiver, type App, type ReceiverEvent } from "@slack/bolt";
import type { Logger } from "../../log.js";
import type { AckResult, ForwardedEvent } from "../../runtime/app-thread.js";
import { boltLogger } from "./app.js";
import { EVENTS_PATH } from "./manifest.js";

/** Where the front hands verified requests: the app thread, in `src/main.ts`. */
export interface SlackForwarding {
  post(event: ForwardedEvent & { acked: true }): void;
  forward(event: ForwardedEvent & { acked: false }): Promise<AckResult>;
}

/**
 * Requests whose handlers acknowledge with an empty 200 before doing anything
 * (slash commands, buttons, Events API events): the front answers them itself.
 * Anything else (a form's submission, whose answer can be its validation
 * errors) waits for the app's handler.
 */
function answeredAtOnce(body: Record<string, unknown>): boolean {
  return typeof body["command"] === "string" || body["type"] === "block_actions" || body["type"] === "event_callback";
}

/**
 * The Slack route of the front thread: Bolt's own HTTP receiver verifies each
 * request's signature and timestamp (else 401) and parses it, exactly as on a
 * single thread; the request then goes to the app thread.
 */
export function slackFrontRoutes(o: { signingSecret: string; logger: Logger; app: SlackForwarding }): Record<string, RequestListener> {
  const logger = o.logger.child({ platform: "slack", thread: "front" });
  const receiver = new HTTPReceiver({ signingSecret: o.signingSecret, endpoints: EVENTS_PATH, processBeforeResponse: false, logger: boltLogger(logger) });
  // The receiver only ever calls processEvent on the app it is given.
  receiver.init({ processEvent: (event: ReceiverEvent) => handOver(o.app, event, logger) } as unknown as App);
  const events: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    receiver.requestListener(req, res);
  };
  return { [EVENTS_PATH]: events };
}

async function handOver(app: SlackForwarding, event: ReceiverEvent, logger: Logger): Promise<void> {
  const body = event.body as Record<string, unknown>;
  const base = { body, retryNum: event.retryNum, retryReason: event.retryReason };
  if (answeredAtOnce(body)) {
    await event.ack();
    app.post({ ...base, acked: true });
    return;
  }
  // A failure here reaches the receiver's error handler, which answers 500 (Slack shows the user an error).
  const r = await app.forward({ ...base, acked: false });
  if (r.unhandled) logger.warn({ type: body["type"] }, "slack: no handler acknowledged a request; answered with an empty 200");
  await event.ack(r.response);
}
