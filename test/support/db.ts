import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openEmbedded, openServer, type Database } from "../../src/db/client.js";

/** Which database the suite runs on: the real server when TEST_DATABASE_URL is set, else PGlite. */
export const onServer = Boolean(process.env.TEST_DATABASE_URL);
export const dbKind = onServer ? "server" : "embedded";

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a
 * database of its own on the server (dropped again by `close`).
 */
export async function testDatabase(): Promise<Database & { url?: string }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return openEmbedded(undefined);
  const name = `rt_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openServer(url.toString(), { max: 10 });
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
