import { userInfo } from "node:os";
import { createRegistry } from "../commands/all.js";
import type { Deps } from "../commands/define.js";
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase, type Database } from "../db/client.js";
import { DataDirLockedError } from "../db/data-dir-lock.js";
import { createLogger } from "../log.js";
import { KeyringError, openKeyring } from "../modules/dataprotection/keyring.js";
import { keyIdFor } from "../security/crypto.js";
import { loadOrCreateSecret } from "../security/secret.js";
import { destination, pino } from "pino";
import { runAdmin, usage, wantsHelp } from "./run.js";

/** Who runs the command line, for the audit log. */
export function adminActor(): string {
  let user: string | undefined;
  try {
    user = userInfo().username;
  } catch {
    user = process.env["USER"] ?? process.env["USERNAME"];
  }
  return `admin:${user || "unknown"}`;
}

export interface AdminIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  now?: () => Date;
}

/**
 * The admin command line: read the environment as the bot does, open the same
 * database, run one command, close. Returns the exit code (0 ok, 1 something
 * found wrong or failed, 2 bad usage or configuration, 3 database in use).
 */
export async function adminMain(argv: string[], io: AdminIo): Promise<number> {
  if (wantsHelp(argv)) {
    for (const l of usage()) io.out(l);
    return 0;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.err(`${e.message}\nSee README.md, "Configuration".`);
    return 2;
  }
  const secret = loadOrCreateSecret(config.dataDir, config.secret);
  let database: Database;
  try {
    database = await openDatabase(config.database);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    io.err(
      `The embedded database in ${config.dataDir} is in use, most likely by the running bot: in embedded mode only one process may open it.\n` +
        `Stop the bot, run the admin command, then start the bot again; or run Roundtable on a PostgreSQL server (set DATABASE_URL), ` +
        `where the bot and the admin command line can work at the same time.\n(${e.message})`,
    );
    return 3;
  }
  try {
    const keyring = await openKeyring(database.db, secret, config.previousSecrets);
    const deps: Deps = {
      db: database.db,
      keyring,
      logger: config.logLevel === "silent" ? pino({ level: "silent" }) : createLogger("warn", destination(2)),
      ports: {},
      clock: io.now ?? (() => new Date()),
      registry: createRegistry(),
    };
    return await runAdmin(
      { db: database.db, deps, actor: adminActor(), knownKeyIds: [secret, ...config.previousSecrets].map(keyIdFor), out: io.out, err: io.err },
      argv,
    );
  } catch (e) {
    if (e instanceof KeyringError) {
      io.err(e.message);
      return 2;
    }
    io.err(`The command failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await database.close();
  }
}
