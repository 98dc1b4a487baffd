import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadOrCreateSecret } from "../src/security/secret.js";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "rt-secret-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("loadOrCreateSecret", () => {
  it("in a fresh data dir, generates a secret of at least 32 bytes in a file readable only by its owner", () => {
    const dir = tempDir();
    const s = loadOrCreateSecret(dir, undefined);
    expect(Buffer.byteLength(s)).toBeGreaterThanOrEqual(32);
    const path = join(dir, "secret");
    expect(readFileSync(path, "utf8").trim()).toBe(s);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("returns the same secret on the second call", () => {
    const dir = tempDir();
    const first = loadOrCreateSecret(dir, undefined);
    expect(loadOrCreateSecret(dir, undefined)).toBe(first);
  });

  it("creates the data dir when it does not exist yet", () => {
    const dir = join(tempDir(), "nested", "data");
    const s = loadOrCreateSecret(dir, undefined);
    expect(readFileSync(join(dir, "secret"), "utf8").trim()).toBe(s);
  });

  it("a configured secret wins and nothing is written", () => {
    const dir = tempDir();
    const configured = "configured-secret-test-not-real-0123";
    expect(loadOrCreateSecret(dir, configured)).toBe(configured);
    expect(readdirSync(dir)).toEqual([]);
    const missing = join(dir, "absent");
    expect(loadOrCreateSecret(missing, configured)).toBe(configured);
    expect(existsSync(missing)).toBe(false);
  });
});
