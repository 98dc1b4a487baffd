import Module, { createRequire } from "node:module";
import type { Logger } from "../../log.js";

/**
 * The one place that loads matrix-bot-sdk. The SDK requires the native
 * end-to-end encryption module at load time even when encryption is never
 * used; where that module's binary is absent (its install script is not
 * allowed here) a stub stands in for it, so the bot still starts, and any use
 * of encryption throws "E2EE unavailable".
 */

export type {
  IFilterInfo,
  IStorageProvider,
  MatrixClient,
  MatrixError,
  ICryptoStorageProvider,
} from "matrix-bot-sdk";

type Sdk = typeof import("matrix-bot-sdk");

const CRYPTO_MODULE = "@matrix-org/matrix-sdk-crypto-nodejs";
const requireFromHere = createRequire(import.meta.url);
const requireFromSdk = createRequire(requireFromHere.resolve("matrix-bot-sdk"));

/** Thrown by every use of the stand-in crypto module. */
export class E2eeUnavailableError extends Error {
  override readonly name = "E2eeUnavailableError";
  constructor() {
    super("E2EE unavailable: the native Matrix crypto module (@matrix-org/matrix-sdk-crypto-nodejs) is not installed for this platform");
  }
}

/** What stands in for the crypto module: any export, or anything reached through one, throws when called or constructed. */
function cryptoStub(): unknown {
  const fail = (): never => {
    throw new E2eeUnavailableError();
  };
  const member: object = new Proxy(function unavailable() {}, {
    apply: fail,
    construct: fail,
    get: (target, key) => (key === "prototype" ? (target as { prototype: unknown }).prototype : key === "then" ? undefined : member),
  });
  return new Proxy({}, { get: (_t, key) => (key === "__esModule" ? false : key === "then" ? undefined : member) });
}

/** Put the stub where `require(CRYPTO_MODULE)` from inside the SDK will find it. */
function seedStub(): void {
  let path: string;
  try {
    path = requireFromSdk.resolve(CRYPTO_MODULE);
  } catch {
    // Not installed at all: resolve the name to a path of our own and seed that.
    path = `${CRYPTO_MODULE}/roundtable-stub.js`;
    const M = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
    const original = M._resolveFilename;
    M._resolveFilename = (req: string, ...rest: unknown[]) => (req === CRYPTO_MODULE ? path : original(req, ...rest));
  }
  const stub = new Module(path);
  stub.filename = path;
  stub.loaded = true;
  stub.exports = cryptoStub();
  requireFromSdk.cache[path] = stub;
}

function load(): { sdk: Sdk; crypto: unknown; cryptoError: string | null } {
  let crypto: unknown = null;
  let cryptoError: string | null = null;
  try {
    crypto = requireFromSdk(CRYPTO_MODULE);
  } catch (e) {
    cryptoError = e instanceof Error ? (e.message.split("\n")[0] ?? e.message) : String(e);
    seedStub();
  }
  return { sdk: requireFromSdk("matrix-bot-sdk") as Sdk, crypto, cryptoError };
}

const loaded = load();

/** The SDK's exports (classes and helpers). */
export const sdk: Sdk = loaded.sdk;

/** Whether the native crypto module loaded, so end-to-end encryption can be used. */
export const cryptoAvailable: boolean = loaded.cryptoError === null;

/** Why it did not load (first line of the loader's error), for the start-up message. */
export const cryptoUnavailableReason: string | null = loaded.cryptoError;

/** The crypto module's `StoreType.Sqlite` (a const enum, so not importable as a value). */
export const SQLITE_STORE_TYPE = 0;

/** Route the SDK's own logging into ours: warnings and errors only, and never request bodies. */
export function routeSdkLogs(logger: Logger): void {
  const { LogService, LogLevel } = sdk;
  const line = (parts: unknown[]) =>
    parts.map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : (p as { errcode?: string })?.errcode ?? "")).join(" ");
  LogService.setLogger({
    info: () => {},
    debug: () => {},
    trace: () => {},
    warn: (module: string, ...rest: unknown[]) => logger.warn({ sdk: module }, line(rest)),
    error: (module: string, ...rest: unknown[]) => logger.error({ sdk: module }, line(rest)),
  });
  LogService.setLevel(LogLevel.WARN);
  // Its HTTP layer logs every refused request, rate limits included; we log what we do not handle.
  LogService.muteModule("MatrixHttpClient");
}
