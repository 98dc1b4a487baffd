import { webApi } from "@slack/bolt";
import type { Logger } from "../../log.js";
import type { Attachment } from "../../ports/rooms.js";

/**
 * Every Slack Web API method the bot calls, with the bot scope it needs. Calls
 * go through `SlackApi.call`, which only accepts these names, so the manifest's
 * scopes (generated from this table) are exactly the scopes the bot uses.
 */
export const METHOD_SCOPES = {
  "auth.test": null,
  "chat.postMessage": "chat:write",
  "chat.postEphemeral": "chat:write",
  "chat.update": "chat:write",
  "conversations.create": "groups:write",
  "conversations.setTopic": "groups:write",
  "conversations.setPurpose": "groups:write",
  "conversations.invite": "groups:write",
  "conversations.kick": "groups:write",
  "conversations.archive": "groups:write",
  "conversations.list": "groups:read",
  "conversations.open": "im:write",
  "pins.add": "pins:write",
  // To find the bot's own pinned case summary again after a restart (never channel history: no *:history scope).
  "pins.list": "pins:read",
  "users.info": "users:read",
  "views.open": null,
  "views.publish": null,
  // files.uploadV2 is these two calls (and a plain upload in between).
  "files.getUploadURLExternal": "files:write",
  "files.completeUploadExternal": "files:write",
} as const;

export type SlackMethod = keyof typeof METHOD_SCOPES;

/** The bot token scopes the app asks for: slash commands plus the scopes of the methods above. */
export const BOT_SCOPES: string[] = [
  "commands",
  ...new Set(Object.values(METHOD_SCOPES).filter((s): s is NonNullable<typeof s> => s !== null)),
].sort();

/** Slack's `error` string of a failed call (`name_taken`, `not_in_channel`, …), if it was a platform error. */
export function slackError(e: unknown): string | undefined {
  if (e && typeof e === "object" && (e as { code?: unknown }).code === webApi.ErrorCode.PlatformError) {
    return (e as webApi.WebAPIPlatformError).data.error;
  }
  return undefined;
}

/** How many times one call waits out a 429 before giving up. */
const MAX_RATE_LIMIT_WAITS = 20;

type Result = webApi.WebAPICallResult & Record<string, unknown>;

/**
 * The Web API as the adapter uses it. A 429 is honoured here rather than in the
 * client's retry policy: the call waits out Retry-After and is sent again, and
 * every other call of the same method waits too (Slack's limits are per method),
 * so a burst never loses a message.
 */
export class SlackApi {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async call<T extends Record<string, unknown> = Record<string, unknown>>(method: SlackMethod, args: Record<string, unknown> = {}): Promise<T & Result> {
    return this.limited(method, () => this.client.apiCall(method, args)) as Promise<T & Result>;
  }

  /** Upload a file into a channel or DM (files.uploadV2: get an upload URL, upload, complete). */
  async upload(channelId: string, a: Attachment): Promise<void> {
    await this.limited("files.uploadV2", () =>
      this.client.filesUploadV2({ channel_id: channelId, filename: a.filename, title: a.filename, file: Buffer.from(a.content, "utf8") }),
    );
  }

  private async limited<R>(method: string, fn: () => Promise<R>): Promise<R> {
    for (let attempt = 0; ; attempt++) {
      const wait = (this.blockedUntil.get(method) ?? 0) - Date.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof webApi.WebAPIRateLimitedError) || attempt >= MAX_RATE_LIMIT_WAITS) throw e;
        const ms = Math.max(e.retryAfter, 1) * 1000;
        this.blockedUntil.set(method, Math.max(this.blockedUntil.get(method) ?? 0, Date.now() + ms));
        this.logger.warn({ method, retryAfterSeconds: e.retryAfter }, "slack rate limit: waiting before sending again");
      }
    }
  }
}
