import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Keys whose values never reach a log line, at any depth: secrets, tokens, and
 * the free text of concerns and cases (special-category data about people).
 */
export const SENSITIVE_KEYS = new Set(
  [
    "secret", "token", "botToken", "appToken", "accessToken", "signingSecret", "password", "authorization",
    "cookie", "summary", "subject", "name", "dob", "text", "rationale", "outcome", "reason",
  ].map((k) => k.toLowerCase()),
);

const CENSOR = "[redacted]";

/** A copy of `value` with every sensitive key's value replaced, however deeply nested. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return value; // pino's error serializer handles these
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEYS.has(k.toLowerCase()) ? CENSOR : redact(v, depth + 1);
  return out;
}

export function createLogger(level: string = "info", destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "roundtable" },
      // pino's own `redact` matches fixed paths only; this covers any depth.
      formatters: { log: (obj) => redact(obj) as Record<string, unknown> },
    },
    destination as DestinationStream,
  );
}
