import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { App, HTTPReceiver, LogLevel, type Logger as BoltLogger, type webApi } from "@slack/bolt";
import type { Logger } from "../../log.js";
import type { ForwardedReceiver } from "./forwarded-receiver.js";
import { EVENTS_PATH } from "./manifest.js";

export interface BoltSetup {
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret?: string;
  /** Socket Mode: set to use it instead of HTTP. */
  appToken?: string;
  /** Two threads: requests arrive from the front thread, verified, through this receiver. */
  forwarded?: ForwardedReceiver;
  /** The Web API base URL (a fake in tests, a proxy in some enterprises). */
  apiUrl?: string;
  /** Retries of failed Web API calls (network errors, 5xx); 429s are handled by SlackApi. */
  retryConfig?: webApi.RetryOptions;
  logger: Logger;
}

/**
 * The Bolt app on one of its two transports. HTTP: the receiver's request
 * listener is mounted at /slack/events on our own HTTP server (beside /healthz),
 * and verifies every request's signature and timestamp (else 401). Socket Mode:
 * Bolt connects out with the app token; no route is needed. Forwarded: the
 * front thread verified the request (src/adapters/slack/front.ts); no route here either.
 */
export function createBoltApp(o: BoltSetup): { app: App; routes?: Record<string, RequestListener>; socketMode: boolean } {
  const logger = boltLogger(o.logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl.endsWith("/") ? o.apiUrl : `${o.apiUrl}/` } : {}),
    ...(o.retryConfig ? { retryConfig: o.retryConfig } : {}),
    rejectRateLimitedCalls: true,
  };
  if (o.appToken) {
    const app = new App({ token: o.botToken, appToken: o.appToken, socketMode: true, clientOptions, logger, deferInitialization: true });
    return { app, socketMode: true };
  }
  if (o.forwarded) {
    const app = new App({ token: o.botToken, receiver: o.forwarded, clientOptions, logger, deferInitialization: true });
    return { app, socketMode: false };
  }
  if (!o.signingSecret) throw new Error("Slack over HTTP needs SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)");
  const receiver = new HTTPReceiver({ signingSecret: o.signingSecret, endpoints: EVENTS_PATH, processBeforeResponse: false, logger });
  const app = new App({ token: o.botToken, receiver, clientOptions, logger, deferInitialization: true });
  const events: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    receiver.requestListener(req, res);
  };
  return { app, routes: { [EVENTS_PATH]: events }, socketMode: false };
}

/**
 * Bolt's logger, onto ours. Bolt's debug output can include request bodies
 * (personal data), so only warnings and errors pass, as text.
 */
export function boltLogger(log: Logger): BoltLogger {
  const text = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : m instanceof Error ? m.message : "[data]")).join(" ");
  let level = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...msg: unknown[]) => log.warn({ component: "bolt" }, text(msg)),
    error: (...msg: unknown[]) => log.error({ component: "bolt" }, text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
