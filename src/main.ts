import { join } from "node:path";
import { destination } from "pino";
import { ConsoleRooms, useColor } from "./adapters/console/index.js";
import { E2eeConfigError, startMatrix, type MatrixAdapter } from "./adapters/matrix/index.js";
import { slackFrontRoutes, startSlack, type SlackAdapter } from "./adapters/slack/index.js";
import { createRegistry } from "./commands/all.js";
import type { Deps } from "./commands/define.js";
import { createDispatcher } from "./commands/dispatcher.js";
import { ConfigError, loadConfig, redactedSummary, type Config } from "./config.js";
import { openDatabase, ping, type Database } from "./db/client.js";
import { DataDirLockedError } from "./db/data-dir-lock.js";
import { runDemoConsole } from "./demo/demo-console.js";
import { Metrics } from "./http/metrics.js";
import { startHttpServer, type HttpServer } from "./http/server.js";
import { createLogger } from "./log.js";
import { reconcileCases } from "./modules/cases/provisioning.js";
import { AppThread, FrontLink, StartFailure } from "./runtime/app-thread.js";
import { TrackedDispatcher } from "./runtime/tracked-dispatcher.js";
import { defaultWorkerId, startScheduler } from "./scheduler/index.js";
import type { Keyring } from "./security/crypto.js";
import { KeyringError, openKeyring } from "./modules/dataprotection/keyring.js";
import { loadOrCreateSecret } from "./security/secret.js";

/**
 * The composition root: the only place that reads the environment, opens the
 * database and wires the adapters. Everything below receives what it needs.
 * With Slack over HTTP the process runs in two threads (src/runtime/app-thread.ts):
 * this module is the entry of both, the main thread being the front that
 * acknowledges Slack's requests and the app thread everything else.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) failHere(`${e.message}\nSee README.md, "Configuration".`, 2);
    throw e;
  }
  const front = FrontLink.here();
  if (!front && config.slack && !config.slack.appToken) return runFront(config, config.slack.signingSecret ?? "");
  return runApp(config, front);
}

/** The main thread with Slack over HTTP: HTTP only (verify, acknowledge, hand over); the app runs in a thread of its own. */
async function runFront(config: Config, signingSecret: string): Promise<void> {
  const logger = createLogger(config.logLevel);
  const app = AppThread.start(new URL(import.meta.url));
  try {
    await app.ready;
  } catch (e) {
    if (e instanceof StartFailure) failHere(e.message, e.code);
    throw e;
  }
  let stopping = false;
  const http = await startHttpServer({
    port: config.port,
    logger,
    metrics: { render: () => app.metrics() },
    health: () => app.health(),
    draining: () => stopping,
    routes: slackFrontRoutes({ signingSecret, logger, app }),
  });
  logger.info({ port: http.port }, "http listening (/healthz, /metrics, /slack/events); the app runs in its own thread");
  void app.exited.then((code) => {
    if (stopping) return;
    logger.error({ code }, "the app thread stopped unexpectedly");
    logger.flush();
    process.exit(code || 1);
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      // Until the app thread is done, Slack's requests still reach it (and are told it is shutting down).
      void app.stop().then(async (code) => {
        await http.close();
        logger.flush();
        process.exit(code);
      });
    });
  }
}

/** The app: database, core, adapters, scheduler. On the main thread alone, or in the app thread behind a front. */
async function runApp(config: Config, front: FrontLink | null): Promise<void> {
  const fail = (message: string, code: number): never => (front ? front.fail(message, code) : failHere(message, code));
  const consoleMode = !config.slack && !config.matrix;
  // On the console the terminal is the user's: logs go to a file in DATA_DIR instead.
  const logger = consoleMode
    ? createLogger(config.logLevel, destination({ dest: join(config.dataDir, "roundtable.log"), mkdir: true, sync: true }))
    : // An app thread's lines are written at once: its exit does not wait for asynchronous writes (it logs little: starts, stops, failures).
      createLogger(config.logLevel, front ? destination({ dest: 1, sync: true }) : undefined);
  logger.info({ config: redactedSummary(config) }, "starting");

  let database: Database;
  let keyring: Keyring;
  try {
    const secret = loadOrCreateSecret(config.dataDir, config.secret);
    database = await openDatabase(config.database);
    // After the database: the hashing secret is pinned there, so key rotation never breaks referral matching.
    keyring = await openKeyring(database.db, secret, config.previousSecrets);
  } catch (e) {
    if (e instanceof DataDirLockedError) fail(e.message, 3);
    if (e instanceof KeyringError) fail(e.message, 2);
    throw e;
  }
  const db = database.db;
  const metrics = new Metrics();
  const registry = createRegistry();
  const deps: Deps = { db, keyring, logger, ports: {}, clock: () => new Date(), registry };

  const consoleRooms = consoleMode
    ? new ConsoleRooms({ output: process.stdout, color: useColor(process.stdout), stateFile: join(config.dataDir, "console-rooms.json") })
    : undefined;
  if (consoleRooms) deps.ports.console = consoleRooms;
  const dispatcher = new TrackedDispatcher(createDispatcher(db, deps, registry), metrics);

  // Each platform's port must be in deps before anything can send to it (reconciliation, scheduler).
  let slack: SlackAdapter | undefined;
  if (config.slack) {
    slack = await startSlack({
      botToken: config.slack.botToken,
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      apiUrl: config.slack.apiUrl,
      forwarded: front !== null,
      deps,
      dispatcher,
      metrics,
    });
    deps.ports.slack = slack.port;
  }

  let matrix: MatrixAdapter | undefined;
  if (config.matrix) {
    try {
      matrix = await startMatrix({ db, deps, dispatcher, config: config.matrix, dataDir: config.dataDir }); // sets deps.ports.matrix
    } catch (e) {
      if (e instanceof E2eeConfigError) fail(e.message, 2);
      throw e;
    }
  }

  // Behind a front, the front thread serves HTTP.
  const http = front ? undefined : await listen();
  async function listen(): Promise<HttpServer | undefined> {
    try {
      const server = await startHttpServer({
        port: config.port,
        logger,
        metrics,
        health: () => ping(db),
        draining: () => dispatcher.draining,
        routes: { ...slack?.routes },
      });
      logger.info({ port: server.port }, "http listening (/healthz, /metrics)");
      return server;
    } catch (e) {
      // On the console the HTTP endpoint is a nicety; elsewhere it is how Slack and health checks reach us.
      if (!consoleMode) throw e;
      logger.warn({ err: e }, "http port unavailable; console continues without /healthz");
      return undefined;
    }
  }

  const reconciled = await reconcileCases(db, deps);
  // Every mode runs the scheduler: reminders, case rhythm, room retries, the daily retention purge.
  const scheduler = startScheduler({ db, deps, workerId: defaultWorkerId() });
  if (reconciled.ready || reconciled.failed) logger.info(reconciled, "reconciled half-provisioned cases");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: no new work, finishing what is in flight");
    await matrix?.stop();
    await dispatcher.drain();
    await scheduler.stop();
    await slack?.stop();
    await http?.close();
    await database.close();
    logger.info("stopped");
    logger.flush();
  };
  // Behind a front, signals reach the main thread, which asks this thread to stop.
  if (!front)
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        void shutdown(signal).then(() => process.exit(0));
      });
    }

  if (consoleMode) {
    await runDemoConsole({
      db,
      dispatcher,
      rooms: consoleRooms!,
      input: process.stdin,
      output: process.stdout,
      interactive: Boolean(process.stdin.isTTY),
      historyFile: join(config.dataDir, "console-history"),
      completions: registry.roots(),
    });
    await shutdown("end of input");
    return;
  }
  const platforms = [config.slack && "Slack", config.matrix && "Matrix"].filter(Boolean).join(" and ");
  logger.info({ platforms, port: http?.port, thread: front ? "app" : "main" }, "ready");
  front?.serve({
    slack: (event) => (slack ? slack.deliver(event) : Promise.reject(new Error("Slack is not configured"))),
    health: async () => {
      if (dispatcher.draining) throw new Error("draining");
      await ping(db);
    },
    metrics: () => metrics.render(),
    stop: () => shutdown("SIGTERM"),
  });
}

/** A start-up failure the operator can fix: its message alone, and a distinct exit code. */
function failHere(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

main().catch((e: unknown) => {
  process.stderr.write(`Roundtable could not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

