import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRegistry } from "../../commands/all.js";
import { manifestJson } from "./manifest.js";

/**
 * Writes manifest.json, the Slack app manifest, from the command registry:
 * `npx tsx src/adapters/slack/manifest-cli.ts` after adding a command (a test fails until
 * you do). Options: `--url https://your.host/slack/events` for your own
 * request URL, `--socket-mode` for an app that connects out, `--stdout` to print.
 */
const args = process.argv.slice(2);
const urlAt = args.indexOf("--url");
const json = manifestJson(createRegistry(), {
  requestUrl: urlAt >= 0 ? args[urlAt + 1] : undefined,
  socketMode: args.includes("--socket-mode"),
});
if (args.includes("--stdout")) process.stdout.write(json);
else {
  const target = fileURLToPath(new URL("../../../manifest.json", import.meta.url));
  writeFileSync(target, json);
  process.stdout.write(`wrote ${target}\n`);
}
