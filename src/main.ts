import { join } from "node:path";
import { destination } from "pino";
import { ConsoleRooms, useColor } from "./adapters/console/index.js";
import { E2eeConfigError, startMatrix, type MatrixAdapter } from "./adapters/matrix/index.js";
import { startSlack, type SlackAdapter } from "./adapters/slack/index.js";
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
import { TrackedDispatcher } from "./runtime/tracked-dispatcher.js";
import { defaultWorkerId, startScheduler } from "./scheduler/index.js";
import type { Keyring } from "./security/crypto.js";
import { KeyringError, openKeyring } from "./modules/dataprotection/keyring.js";
import { loadOrCreateSecret } from "./security/secret.js";

/**
 * The composition root: the only place that reads the environment, opens the
 * database and wires the adapters. Everything below receives what it needs.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(`${e.message}\nSee README.md, "Configuration".`, 2);
    throw e;
  }
  const consoleMode = !config.slack && !config.matrix;
  // On the console the terminal is the user's: logs go to a file in DATA_DIR instead.
  const logger = consoleMode
    ? createLogger(config.logLevel, destination({ dest: join(config.dataDir, "roundtable.log"), mkdir: true, sync: true }))
    : createLogger(config.logLevel);
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

  let http: HttpServer | undefined;
  try {
    http = await startHttpServer({
      port: config.port,
      logger,
      metrics,
      health: () => ping(db),
      draining: () => dispatcher.draining,
      routes: { ...slack?.routes },
    });
    logger.info({ port: http.port }, "http listening (/healthz, /metrics)");
  } catch (e) {
    // On the console the HTTP endpoint is a nicety; elsewhere it is how Slack and health checks reach us.
    if (!consoleMode) throw e;
    logger.warn({ err: e }, "http port unavailable; console continues without /healthz");
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
  logger.info({ platforms, port: http?.port }, "ready");
}

/** A start-up failure the operator can fix: its message alone, and a distinct exit code. */
function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

main().catch((e: unknown) => {
  process.stderr.write(`Roundtable could not start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});

