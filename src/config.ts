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

const url = (what: string) =>
  optionalString.refine((s) => s === undefined || URL.canParse(s), { message: `${what} must be a URL` });

const envSchema = z
  .object({
    DATABASE_URL: optionalString.refine((s) => s === undefined || /^postgres(ql)?:\/\//.test(s), {
      message: "must be a postgres:// or postgresql:// connection string",
    }),
    DATA_DIR: z.string().trim().min(1).default("./data"),
    ROUNDTABLE_SECRET: optionalString.refine((s) => s === undefined || Buffer.byteLength(s) >= 32, {
      message: "must be at least 32 bytes",
    }),
    SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith("xoxb-"), {
      message: "must be a bot token (xoxb-…)",
    }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith("xapp-"), {
      message: "must be an app-level token (xapp-…)",
    }),
    SLACK_API_URL: url("SLACK_API_URL"),
    MATRIX_HOMESERVER_URL: url("MATRIX_HOMESERVER_URL"),
    MATRIX_ACCESS_TOKEN: optionalString,
    MATRIX_ALLOWED_SERVERS: optionalString,
    MATRIX_E2EE: z
      .enum(["on", "off", "true", "false", "1", "0", ""])
      .optional()
      .transform((v) => v === "on" || v === "true" || v === "1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.ROUNDTABLE_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["ROUNDTABLE_SECRET"],
        message: "is required with DATABASE_URL (it is generated only in embedded mode)",
      });
    }
    if (Boolean(env.SLACK_BOT_TOKEN) !== Boolean(env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.SLACK_BOT_TOKEN ? "SLACK_SIGNING_SECRET" : "SLACK_BOT_TOKEN"],
        message: "Slack needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)",
      });
    }
    if (Boolean(env.MATRIX_HOMESERVER_URL) !== Boolean(env.MATRIX_ACCESS_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.MATRIX_HOMESERVER_URL ? "MATRIX_ACCESS_TOKEN" : "MATRIX_HOMESERVER_URL"],
        message: "Matrix needs both MATRIX_HOMESERVER_URL and MATRIX_ACCESS_TOKEN",
      });
    }
  });

export interface Config {
  database: { kind: "embedded"; dataDir: string } | { kind: "server"; url: string };
  dataDir: string;
  /** Unset in embedded mode until loadSecret() generates or reads it from DATA_DIR. */
  secret: string | undefined;
  slack:
    | { botToken: string; signingSecret: string | undefined; appToken: string | undefined; apiUrl: string | undefined }
    | undefined;
  matrix: { homeserverUrl: string; accessToken: string; allowedServers: string[] | undefined; e2ee: boolean } | undefined;
  port: number;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
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
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"} ${i.message}`));
  }
  const e = parsed.data;
  return {
    database: e.DATABASE_URL ? { kind: "server", url: e.DATABASE_URL } : { kind: "embedded", dataDir: e.DATA_DIR },
    dataDir: e.DATA_DIR,
    secret: e.ROUNDTABLE_SECRET,
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
