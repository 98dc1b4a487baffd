import type { RequestListener } from "node:http";
import type { webApi } from "@slack/bolt";
import type { Deps } from "../../commands/define.js";
import { createDispatcher } from "../../commands/dispatcher.js";
import type { Dispatcher } from "../../commands/invocation.js";
import type { Metrics } from "../../http/metrics.js";
import type { AckResult, ForwardedEvent } from "../../runtime/app-thread.js";
import { translator } from "../../i18n/catalogue.js";
import { registerActions } from "./actions.js";
import { SlackApi } from "./api.js";
import { createBoltApp } from "./app.js";
import { CoreBridge } from "./bridge.js";
import { registerSlashCommands } from "./commands.js";
import type { SlackContext } from "./context.js";
import { registerForms } from "./forms.js";
import { ForwardedReceiver } from "./forwarded-receiver.js";
import { registerHome } from "./home.js";
import { SlackIdentity } from "./identity.js";
import { Pacer } from "./pacer.js";
import { SlackRooms } from "./rooms.js";

/** The Slack adapter: slash commands, forms, buttons, App Home, private case channels. */

export { SlackRooms } from "./rooms.js";
export { slackManifest, manifestJson, EVENTS_PATH } from "./manifest.js";
export { BOT_SCOPES, METHOD_SCOPES } from "./api.js";
export { slackFrontRoutes } from "./front.js";

export interface SlackOptions {
  botToken: string;
  /** HTTP mode (events at /slack/events, mounted through `routes`). */
  signingSecret?: string;
  /** Socket Mode instead of HTTP. */
  appToken?: string;
  /** Requests arrive from the front thread through `deliver` (two threads; see src/runtime/app-thread.ts). */
  forwarded?: boolean;
  apiUrl?: string;
  /** The core's capabilities; `deps.ports.slack` is to be set to the returned port. */
  deps: Deps;
  /** The process's dispatcher (answers lines that name no command); one is made if not given. */
  dispatcher?: Dispatcher;
  metrics?: Metrics;
  /** Minimum time between two messages in one channel (Slack allows about one a second). */
  paceMs?: number;
  retryConfig?: webApi.RetryOptions;
}

export interface SlackAdapter {
  port: SlackRooms;
  /** HTTP mode: `{ "/slack/events": listener }` for startHttpServer's `routes`; undefined in Socket Mode and when forwarded. */
  routes?: Record<string, RequestListener>;
  /** Two threads: run a request the front thread verified; resolves with what its handler acknowledged. */
  deliver(event: ForwardedEvent): Promise<AckResult>;
  /** Resolves when every acknowledged request has been handled and every queued message sent. */
  idle(): Promise<void>;
  /** Refuse new requests, finish what was acknowledged, flush queued messages, disconnect. */
  stop(): Promise<void>;
}

/** Start the Slack adapter: checks the bot token (auth.test), registers the handlers, connects in Socket Mode. */
export async function startSlack(o: SlackOptions): Promise<SlackAdapter> {
  const logger = o.deps.logger.child({ platform: "slack" });
  const forwarded = o.forwarded ? new ForwardedReceiver() : undefined;
  const { app, routes, socketMode } = createBoltApp({ ...o, forwarded, logger });
  await app.init();
  const api = new SlackApi(app.client, logger);
  const me = await api.call<{ user_id?: string }>("auth.test");
  if (!me.user_id) throw new Error("Slack auth.test did not name the bot user: is SLACK_BOT_TOKEN a bot token?");
  const pacer = new Pacer(o.paceMs ?? 1100);
  const en = translator("en");
  const rooms = new SlackRooms({ api, pacer, botUserId: me.user_id, logger, more: (count) => en("slack.more", { count }) });
  const identity = new SlackIdentity({ db: o.deps.db, api, logger });
  const dispatcher = o.dispatcher ?? createDispatcher(o.deps.db, o.deps, o.deps.registry);
  const bridge = new CoreBridge({ deps: o.deps, dispatcher, identity, metrics: o.metrics });
  const ctx: SlackContext = { deps: o.deps, api, rooms, identity, bridge, logger };
  app.error(async (e) => {
    logger.error({ err: e }, "slack: unhandled error in a handler");
  });
  registerSlashCommands(app, ctx);
  registerActions(app, ctx);
  registerForms(app, ctx);
  registerHome(app, ctx);
  if (socketMode) await app.start();
  logger.info({ mode: socketMode ? "socket" : forwarded ? "http (front thread)" : "http", bot: me.user_id }, "slack adapter started");

  const idle = async () => {
    await bridge.idle();
    await pacer.idle();
  };
  return {
    port: rooms,
    routes,
    deliver: (event) => (forwarded ? forwarded.deliver(event) : Promise.reject(new Error("this Slack adapter receives its own requests"))),
    idle,
    stop: async () => {
      bridge.stopping = true;
      await idle();
      if (socketMode) await app.stop();
    },
  };
}
