import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Paths whose values never reach a log line: secrets, tokens, and the free text
 * of concerns and cases (special-category data about people).
 */
export const REDACT_PATHS = [
  "secret",
  "*.secret",
  "token",
  "*.token",
  "*.botToken",
  "*.appToken",
  "*.accessToken",
  "*.signingSecret",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "summary",
  "*.summary",
  "name",
  "subject",
  "*.subject",
  "dob",
  "*.dob",
  "text",
  "*.text",
];

export function createLogger(level: string = "info", destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { app: "roundtable" } }, destination);
}
