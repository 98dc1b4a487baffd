import { describe, expect, it } from "vitest";
import { pino } from "pino";
import { createBotClient, E2eeConfigError } from "../src/adapters/matrix/client.js";
import { cryptoAvailable, sdk } from "../src/adapters/matrix/sdk.js";
import { MemoryStorage } from "./support/fake-homeserver/memory-storage.js";

/** matrix-bot-sdk loads on this machine, with or without the native crypto module. */

describe("loading matrix-bot-sdk", () => {
  it("loads, whether or not the native crypto module is installed", () => {
    expect(typeof sdk.MatrixClient).toBe("function");
  });

  it.runIf(!cryptoAvailable)("without the crypto module, turning E2EE on fails at start with a clear message", () => {
    const opts = { homeserverUrl: "http://127.0.0.1:1", accessToken: "t", storage: new MemoryStorage(), dataDir: "/tmp", logger: pino({ level: "silent" }) };
    expect(() => createBotClient({ ...opts, e2ee: true })).toThrow(E2eeConfigError);
    expect(() => createBotClient({ ...opts, e2ee: true })).toThrow(/MATRIX_E2EE is on, but end-to-end encryption is not available.*Turn MATRIX_E2EE off/s);
    expect(() => createBotClient({ ...opts, e2ee: false })).not.toThrow();
  });

  it.runIf(!cryptoAvailable)("the stand-in crypto module throws 'E2EE unavailable' when used", async () => {
    const { createRequire } = await import("node:module");
    const req = createRequire(createRequire(import.meta.url).resolve("matrix-bot-sdk"));
    const crypto = req("@matrix-org/matrix-sdk-crypto-nodejs") as { OlmMachine: { initialize: () => unknown } };
    expect(() => crypto.OlmMachine.initialize()).toThrow(/E2EE unavailable/);
  });
});
