import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactedSummary } from "../src/config.js";

const SECRET = "test-secret-not-real-0123456789abcdef";
const BOT = "xoxb-fake";
const APP = "xapp-test-not-real";
const SIGNING = "signing-test-not-real";
const MATRIX_TOKEN = "matrix-token-test-not-real";
const DB_PASSWORD = "pw-test-not-real";

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected loadConfig to throw a ConfigError");
}

describe("loadConfig", () => {
  it("with an empty environment, runs embedded in ./data on port 3000 with Slack and Matrix off", () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: "embedded", dataDir: "./data" });
    expect(c.dataDir).toBe("./data");
    expect(c.port).toBe(3000);
    expect(c.slack).toBeUndefined();
    expect(c.matrix).toBeUndefined();
    expect(c.secret).toBeUndefined();
    expect(c.logLevel).toBe("info");
  });

  it("DATABASE_URL selects the server database", () => {
    const c = loadConfig({ DATABASE_URL: "postgres://u@db.invalid/rt", ROUNDTABLE_SECRET: SECRET });
    expect(c.database).toEqual({ kind: "server", url: "postgres://u@db.invalid/rt" });
    expect(c.secret).toBe(SECRET);
  });

  it("DATABASE_URL without ROUNDTABLE_SECRET is refused, naming the variable", () => {
    const e = configError({ DATABASE_URL: "postgres://u@db.invalid/rt" });
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/^ROUNDTABLE_SECRET /);
    expect(e.message).toContain("ROUNDTABLE_SECRET");
  });

  it("several bad values at once give one ConfigError listing every problem, each variable named", () => {
    const e = configError({
      PORT: "not-a-port",
      ROUNDTABLE_SECRET: "short",
      SLACK_BOT_TOKEN: BOT,
      MATRIX_HOMESERVER_URL: "https://matrix.example.invalid",
      SLACK_API_URL: "not a url",
    });
    const vars = ["PORT", "ROUNDTABLE_SECRET", "SLACK_SIGNING_SECRET", "MATRIX_ACCESS_TOKEN", "SLACK_API_URL"];
    expect(e.problems).toHaveLength(vars.length);
    for (const v of vars) {
      expect(e.problems.some((p) => p.startsWith(`${v} `)), `a problem names ${v}`).toBe(true);
      expect(e.message).toContain(v);
    }
  });

  it("Slack in Socket Mode is accepted with SLACK_BOT_TOKEN and SLACK_APP_TOKEN", () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(c.slack).toEqual({ botToken: BOT, appToken: APP, signingSecret: undefined, apiUrl: undefined });
    expect(redactedSummary(c).slack).toBe("socket mode");
  });

  it("Slack over HTTP is accepted with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET", () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SIGNING });
    expect(c.slack?.signingSecret).toBe(SIGNING);
    expect(redactedSummary(c).slack).toBe("http");
  });

  it("MATRIX_ALLOWED_SERVERS is split into a list, trimmed, blanks dropped", () => {
    const c = loadConfig({
      MATRIX_HOMESERVER_URL: "https://matrix.example.invalid",
      MATRIX_ACCESS_TOKEN: MATRIX_TOKEN,
      MATRIX_ALLOWED_SERVERS: "example.invalid, other.invalid,,third.invalid ",
    });
    expect(c.matrix?.allowedServers).toEqual(["example.invalid", "other.invalid", "third.invalid"]);
    expect(c.matrix?.accessToken).toBe(MATRIX_TOKEN);
  });

  it("redactedSummary never contains the secret, tokens, or the DATABASE_URL password", () => {
    const c = loadConfig({
      DATABASE_URL: `postgres://roundtable:${DB_PASSWORD}@db.example.invalid:5432/rt`,
      ROUNDTABLE_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT,
      SLACK_APP_TOKEN: APP,
      SLACK_SIGNING_SECRET: SIGNING,
      MATRIX_HOMESERVER_URL: "https://matrix.example.invalid",
      MATRIX_ACCESS_TOKEN: MATRIX_TOKEN,
    });
    const text = JSON.stringify(redactedSummary(c));
    for (const value of [SECRET, BOT, APP, SIGNING, MATRIX_TOKEN, DB_PASSWORD]) {
      expect(text).not.toContain(value);
    }
    expect(text).toContain("db.example.invalid");
  });
});
