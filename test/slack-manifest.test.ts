import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOT_SCOPES, METHOD_SCOPES } from "../src/adapters/slack/api.js";
import { createBoltApp } from "../src/adapters/slack/app.js";
import { manifestJson, MAX_SLASH_COMMANDS, slackManifest, SLACK_BUILT_INS } from "../src/adapters/slack/manifest.js";
import { Registry } from "../src/commands/registry.js";
import { createRegistry } from "../src/commands/all.js";
import { pino } from "pino";

const checkedIn = readFileSync(new URL("../manifest.json", import.meta.url), "utf8");

/** The Slack app manifest an admin installs from: generated from the command registry and checked in. */
describe("the Slack app manifest", () => {
  const registry = createRegistry();

  it("manifest.json is what the registry generates (run `npx tsx src/adapters/slack/manifest-cli.ts` after adding a command)", () => {
    expect(checkedIn).toBe(manifestJson(registry));
  });

  it("has one slash command per root word of the registry, each sending mentions as user ids", () => {
    const m = slackManifest(registry);
    expect(m.features.slash_commands.map((c) => c.command)).toEqual(registry.roots().map((r) => `/${r}`));
    for (const c of m.features.slash_commands) {
      expect(c.command).toMatch(/^\/[a-z][a-z0-9-]{0,30}$/);
      expect(c.should_escape).toBe(true);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(2000);
      expect((c.usage_hint ?? "").length).toBeLessThanOrEqual(1000);
      expect(c.url).toBe("https://roundtable.example.org/slack/events");
    }
  });

  it("never names one of Slack's own slash commands (Slack would refuse the whole manifest), and stays within 50", () => {
    expect(registry.roots().filter((r) => SLACK_BUILT_INS.has(r))).toEqual([]);
    expect(registry.roots().length).toBeLessThanOrEqual(MAX_SLASH_COMMANDS);
    const clashing = new Registry([{ ...registry.all()[0]!, path: ["status"] }]);
    expect(() => slackManifest(clashing)).toThrow(/Slack has its own \/status/);
  });

  it("asks for exactly the scopes of the Web API methods the bot calls, plus slash commands", () => {
    const m = slackManifest(registry);
    const needed = new Set(Object.values(METHOD_SCOPES).filter((s) => s !== null));
    expect(m.oauth_config.scopes.bot).toEqual(["commands", ...needed].sort());
    expect(BOT_SCOPES).toEqual(m.oauth_config.scopes.bot);
  });

  it("never asks to read channel history: the bot finds its own pinned case summary through pins (pins:read)", () => {
    const bot = slackManifest(registry).oauth_config.scopes.bot;
    expect(bot.filter((s) => s.endsWith(":history"))).toEqual([]);
    expect(METHOD_SCOPES["pins.list"]).toBe("pins:read");
    expect(bot).toContain("pins:read");
  });

  it("sends events, buttons and forms to /slack/events, with the App Home on", () => {
    const m = slackManifest(registry, { requestUrl: "https://rt.example.net/slack/events" });
    expect(m.settings.event_subscriptions).toEqual({ request_url: "https://rt.example.net/slack/events", bot_events: ["app_home_opened"] });
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: "https://rt.example.net/slack/events" });
    expect(m.features.app_home.home_tab_enabled).toBe(true);
  });

  it("for Socket Mode, has no request URLs", () => {
    const m = slackManifest(registry, { socketMode: true });
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(m)).not.toContain("request_url");
    expect(JSON.stringify(m.features.slash_commands)).not.toContain('"url"');
  });

  it("the app runs over HTTP with a signing secret (a route to mount), or in Socket Mode with an app token (none)", () => {
    const logger = pino({ level: "silent" });
    const http = createBoltApp({ botToken: "xoxb-1", signingSecret: "s", logger });
    expect(http.socketMode).toBe(false);
    expect(Object.keys(http.routes ?? {})).toEqual(["/slack/events"]);
    const socket = createBoltApp({ botToken: "xoxb-1", appToken: "xapp-1", logger });
    expect(socket.socketMode).toBe(true);
    expect(socket.routes).toBeUndefined();
  });
});
