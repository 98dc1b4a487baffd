import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const FILE = "secret";

/**
 * The master secret. With DATABASE_URL it must be configured (config refuses
 * otherwise); in embedded mode it is generated once into DATA_DIR and read back
 * on every later start, so hashes and ciphertexts stay readable.
 */
export function loadOrCreateSecret(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, FILE);
  try {
    const s = readFileSync(path, "utf8").trim();
    if (Buffer.byteLength(s) < 32) throw new Error(`${path} holds a secret shorter than 32 bytes`);
    return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const s = randomBytes(32).toString("base64url");
  // wx: never overwrite a secret another process just wrote.
  try {
    writeFileSync(path, s + "\n", { mode: 0o600, flag: "wx" });
    return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path, "utf8").trim();
    throw e;
  }
}
