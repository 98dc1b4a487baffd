import { pino } from "pino";
import { createBoltApp } from "../src/adapters/slack/app.js";
import { Metrics } from "../src/http/metrics.js";
import { startHttpServer } from "../src/http/server.js";

/**
 * The ack benchmark's floor, as its own process the way `src/main.ts` runs:
 * a Bolt app on the same receiver and HTTP server whose only handler acks.
 * Environment as for the bot: PORT, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL.
 */
const logger = pino({ level: "silent" });
const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`bare-bolt-app needs ${name}`);
  return v;
};

const { app, routes } = createBoltApp({ botToken: env("SLACK_BOT_TOKEN"), signingSecret: env("SLACK_SIGNING_SECRET"), apiUrl: env("SLACK_API_URL"), logger });
await app.init();
app.command(/.*/, async ({ ack }) => {
  await ack();
});
const http = await startHttpServer({ port: Number(env("PORT")), logger, metrics: new Metrics(), health: async () => {}, routes });
process.once("SIGTERM", () => {
  void http.close().then(() => process.exit(0));
});
