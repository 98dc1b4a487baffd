import { pino } from "pino";
import { startMatrix } from "../../../src/adapters/matrix/index.js";
import { createRegistry } from "../../../src/commands/all.js";
import type { Deps } from "../../../src/commands/define.js";
import { createDispatcher } from "../../../src/commands/dispatcher.js";
import { openServer } from "../../../src/db/client.js";
import { createKeyring } from "../../../src/security/crypto.js";
import { TEST_SECRET } from "../harness.js";
import { FAST } from "./matrix-harness.js";

/**
 * One bot process for the leadership test: its own database pool, the real
 * adapter, and a line on stdout whenever it starts or stops syncing.
 * Environment: DB_URL, HS_URL, HS_TOKEN, DATA_DIR.
 */
const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

const database = await openServer(env("DB_URL"), { max: 4 });
const registry = createRegistry();
const deps: Deps = { db: database.db, keyring: createKeyring(TEST_SECRET), logger: pino({ level: "silent" }), ports: {}, clock: () => new Date(), registry };
const adapter = await startMatrix({
  db: database.db,
  deps,
  dispatcher: createDispatcher(database.db, deps, registry),
  config: { homeserverUrl: env("HS_URL"), accessToken: env("HS_TOKEN"), e2ee: false },
  dataDir: env("DATA_DIR"),
  timing: FAST,
  onLeadership: (leading) => process.stdout.write(`${leading ? "LEADING" : "FOLLOWING"} ${process.pid}\n`),
});
process.stdout.write(`READY ${process.pid}\n`);
process.once("SIGTERM", () => {
  void adapter.stop().then(() => database.close()).then(() => process.exit(0));
});
