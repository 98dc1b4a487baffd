import { z } from "zod";

/**
 * The environment, parsed once at start-up (SPEC §4). Every problem is reported
 * together in one ConfigError so an operator fixes them in one go.
 */

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .optional();

const url = optionalString.refine((s) => s === undefined || URL.canParse(s), { message: "must be a URL" });

const envSchema = z.object({
    DATABASE_URL: optionalString.refine((s) => s === undefined || /^postgres(ql)?:\/\//.test(s), {
      message: "must be a postgres:// or postgresql:// connection string",
    }),
    DATA_DIR: z.string().trim().min(1).default("./data"),
    ROUNDTABLE_SECRET: optionalString.refine((s) => s === undefined || Buffer.byteLength(s) >= 32, {
      message: "must be at least 32 bytes",
    }),
    /** Older secrets, comma-separated, whose ciphertexts must still decrypt while keys rotate. */
  ROUNDTABLE_PREVIOUS_SECRETS: optionalString,
  SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith("xoxb-"), {
      message: "must be a bot token (xoxb-…)",
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith("xapp-"), {
      message: "must be an app-level token (xapp-…)",
    }),
    SLACK_API_URL: url,
    MATRIX_HOMESERVER_URL: url,
    MATRIX_ACCESS_TOKEN: optionalString,
    MATRIX_ALLOWED_SERVERS: optionalString,
    MATRIX_E2EE: z
      .enum(["on", "off", "true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === "on" || v === "true" || v === "1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

type Env = z.infer<typeof envSchema>;

/**
 * Checks across variables. Run on the raw environment because zod skips refinements of an object when any field already failed, and
 * every problem must be reported at once.
 */
function crossFieldProblems(env: Partial<Record<keyof Env, unknown>>): string[] {
  const set = (k: keyof Env) => typeof env[k] === "string" ? (env[k]).trim() !== "" : Boolean(env[k]);
  const problems: string[] = [];
  if (set("DATABASE_URL") && !set("ROUNDTABLE_SECRET")) {
    problems.push("ROUNDTABLE_SECRET is required with DATABASE_URL (it is generated only in embedded mode)");
  }
  if (set("SLACK_BOT_TOKEN") !== (set("SLACK_SIGNING_SECRET") || set("SLACK_APP_TOKEN"))) {
    problems.push(
      `${set("SLACK_BOT_TOKEN") ? "SLACK_SIGNING_SECRET" : "SLACK_BOT_TOKEN"} is missing: Slack needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)`,
    );
  }
  if (set("MATRIX_HOMESERVER_URL") !== set("MATRIX_ACCESS_TOKEN")) {
    problems.push(
      `${set("MATRIX_HOMESERVER_URL") ? "MATRIX_ACCESS_TOKEN" : "MATRIX_HOMESERVER_URL"} is missing: Matrix needs both MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN`,
    );
  }
  return problems;
}

export interface Config {
  database: { kind: "embedded"; dataDir: string } | { kind: "server"; url: string };
  dataDir: string;
  /** Unset in embedded mode until loadSecret() generates or reads it from DATA_DIR. */
  secret: string | undefined;
  previousSecrets: string[];
  slack:
    | { botToken: string; signingSecret: string | undefined; appToken: string | undefined; apiUrl: string | undefined }
    | undefined;
  matrix: { homeserverUrl: string; accessToken: string; allowedServers: string[] | undefined; e2ee: boolean } | undefined;
  port: number;
  logLevel: Env["LOG_LEVEL"];
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Parse the environment. Throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const problems = crossFieldProblems(env as Partial<Record<keyof Env, unknown>>);
  if (!parsed.success) problems.unshift(...parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    database: e.DATABASE_URL ? { kind: "server", url: e.DATABASE_URL } : { kind: "embedded", dataDir: e.DATA_DIR },
    dataDir: e.DATA_DIR,
    secret: e.ROUNDTABLE_SECRET,
    previousSecrets: e.ROUNDTABLE_PREVIOUS_SECRETS?.split(",").map((s) => s.trim()).filter(Boolean) ?? [],
    slack: e.SLACK_BOT_TOKEN
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
        }
      : undefined,
    matrix:
      e.MATRIX_HOMESERVER_URL && e.MATRIX_ACCESS_TOKEN
        ? {
            homeserverUrl: e.MATRIX_HOMESERVER_URL,
            accessToken: e.MATRIX_ACCESS_TOKEN,
            allowedServers: e.MATRIX_ALLOWED_SERVERS?.split(",").map((s) => s.trim()).filter(Boolean),
            e2ee: e.MATRIX_E2EE,
          }
        : undefined,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
  };
}

/** What is safe to log: no secrets, no tokens, no passwords in connection strings. */
export function redactedSummary(c: Config): Record<string, unknown> {
  const db =
    c.database.kind === "embedded"
      ? { kind: "embedded", dataDir: c.database.dataDir }
      : { kind: "server", url: redactUrl(c.database.url) };
  return {
    database: db,
    secret: c.secret ? "set" : "generated in DATA_DIR",
    slack: c.slack ? (c.slack.appToken ? "socket mode" : "http") : "off",
    matrix: c.matrix ? { homeserver: c.matrix.homeserverUrl, e2ee: c.matrix.e2ee } : "off",
    port: c.port,
  };
}

export function redactUrl(u: string): string {
  try {
    const url = new URL(u);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "***";
  }
}
