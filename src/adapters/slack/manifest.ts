import type { Registry } from "../../commands/registry.js";
import { isMessageKey, translator, type MessageKey } from "../../i18n/catalogue.js";
import { BOT_SCOPES } from "./api.js";
import { truncate } from "./text.js";

/** Where Slack sends everything (commands, buttons, forms, events); the admin puts their own host in. */
export const PLACEHOLDER_URL = "https://roundtable.example.org/slack/events";

/**
 * Slack's own slash commands: an app manifest naming one of them is refused as a
 * whole, so a command root must never be one of these.
 */
export const SLACK_BUILT_INS = new Set([
  "active", "apps", "archive", "away", "call", "collapse", "dm", "dnd", "expand", "feed", "invite", "join", "leave",
  "me", "msg", "mute", "open", "pro", "remind", "remove", "rename", "search", "shortcuts", "shrug", "star", "status", "topic", "who",
]);

/** Slack takes at most this many slash commands from one app. */
export const MAX_SLASH_COMMANDS = 50;

/** The path of the events endpoint on our HTTP server. */
export const EVENTS_PATH = "/slack/events";

/**
 * The Slack app manifest, generated from the command registry: one slash
 * command per root word, the App Home, interactivity, and exactly the bot
 * scopes the adapter's Web API calls need. `manifest.json` is this, checked in.
 */
export function slackManifest(registry: Registry, opts: { requestUrl?: string; socketMode?: boolean } = {}) {
  const url = opts.requestUrl ?? PLACEHOLDER_URL;
  const t = translator("en");
  const summary = (key: string) => (isMessageKey(key) ? (t as unknown as (k: MessageKey) => string)(key as MessageKey) : key);
  const roots = registry.roots();
  const clash = roots.filter((r) => SLACK_BUILT_INS.has(r));
  if (clash.length) throw new Error(`Slack has its own /${clash.join(", /")}: give the command another first word`);
  if (roots.length > MAX_SLASH_COMMANDS) throw new Error(`Slack takes at most ${MAX_SLASH_COMMANDS} slash commands; the registry has ${roots.length} roots`);
  const slashCommands = roots.map((root) => {
    const defs = registry.under(root);
    const own = defs.find((d) => d.path.length === 1);
    const subs = [...new Set(defs.filter((d) => d.path.length > 1).map((d) => d.path[1]!))];
    const hint = [own ? own.usage.slice(root.length).trim() : "", ...subs].filter(Boolean).join(" | ");
    return {
      command: `/${root}`,
      ...(opts.socketMode ? {} : { url }),
      description: truncate(own ? summary(own.summary) : t("slack.manifest.subcommands", { words: subs }), 2000),
      ...(hint ? { usage_hint: truncate(hint, 1000) } : {}),
      // Mentions then arrive as <@U…|name>, which is how the adapter tells who is meant.
      should_escape: true,
    };
  });
  return {
    _metadata: { major_version: 2, minor_version: 1 },
    display_information: {
      name: "Roundtable",
      description: "Multi-agency safeguarding: concerns, cases, tasks and check-ins.",
      long_description:
        "Roundtable helps a multi-agency safeguarding partnership work together in Slack: practitioners raise concerns through a form, " +
        "coordinators triage them in a private channel, cases get private channels named by their pseudonymous ref only, and " +
        "decisions, tasks, information sharing and check-ins are recorded by command, with a tamper-evident audit log. " +
        "Type /help in any channel to see the commands.",
      background_color: "#1d3a5f",
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: "Roundtable", always_online: true },
      slash_commands: slashCommands,
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: { ...(opts.socketMode ? {} : { request_url: url }), bot_events: ["app_home_opened"] },
      interactivity: { is_enabled: true, ...(opts.socketMode ? {} : { request_url: url }) },
      org_deploy_enabled: false,
      socket_mode_enabled: Boolean(opts.socketMode),
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as the checked-in file holds it. */
export const manifestJson = (registry: Registry, opts?: { requestUrl?: string; socketMode?: boolean }): string =>
  `${JSON.stringify(slackManifest(registry, opts), null, 2)}\n`;
