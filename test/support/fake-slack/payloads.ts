import { createHmac } from "node:crypto";

/**
 * Requests as Slack sends them to the app: signed (`v0=` HMAC-SHA256 of
 * `v0:{timestamp}:{body}` with the signing secret), form-encoded for slash
 * commands, `payload=` JSON for interactivity, JSON for events.
 */

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signed(secret: string, body: string, contentType: string, o: { timestamp?: number; signature?: string } = {}): SignedRequest {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": o.signature ?? signature(secret, ts, body),
    },
  };
}

export interface Who {
  user: string;
  team: string;
}

export function slashCommand(o: Who & { command: string; text: string; channel: string; responseUrl: string; triggerId: string }): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: o.team,
    team_domain: "fake",
    channel_id: o.channel,
    channel_name: o.channel.toLowerCase(),
    user_id: o.user,
    user_name: o.user.toLowerCase(),
    command: o.command,
    text: o.text,
    api_app_id: "A_ROUNDTABLE",
    is_enterprise_install: "false",
    response_url: o.responseUrl,
    trigger_id: o.triggerId,
  }).toString();
}

/** A button press in a message (with a response URL) or in the App Home (without). */
export function blockActions(
  o: Who & { actionId: string; value: string; triggerId: string; channel?: string; messageTs?: string; responseUrl?: string; home?: boolean },
): string {
  const payload = {
    type: "block_actions",
    api_app_id: "A_ROUNDTABLE",
    team: { id: o.team, domain: "fake" },
    user: { id: o.user, username: o.user.toLowerCase(), team_id: o.team },
    trigger_id: o.triggerId,
    ...(o.home
      ? { container: { type: "view", view_id: "V_HOME" }, view: { id: "V_HOME", type: "home" } }
      : {
          container: { type: "message", message_ts: o.messageTs ?? "1.0", channel_id: o.channel },
          channel: { id: o.channel, name: "channel" },
          message: { ts: o.messageTs ?? "1.0" },
          response_url: o.responseUrl,
        }),
    actions: [{ type: "button", action_id: o.actionId, block_id: "b", value: o.value, action_ts: `${Date.now() / 1000}` }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A form submitted: `values` by block id, in the shape of each element's state. */
export function viewSubmission(o: Who & { view: Record<string, unknown>; values: Record<string, unknown> }): string {
  const state: Record<string, Record<string, unknown>> = {};
  for (const [block, value] of Object.entries(o.values)) state[block] = { v: value };
  const payload = {
    type: "view_submission",
    api_app_id: "A_ROUNDTABLE",
    team: { id: o.team, domain: "fake" },
    user: { id: o.user, username: o.user.toLowerCase(), team_id: o.team },
    view: { ...o.view, id: o.view["id"] ?? "V1", state: { values: state } },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Values as Slack reports them for each kind of input. */
export const typed = (value: string) => ({ type: "plain_text_input", value });
export const picked = (value: string) => ({ type: "static_select", selected_option: { value } });
export const dated = (date: string) => ({ type: "datepicker", selected_date: date });
export const chosen = (value: string) => ({ type: "radio_buttons", selected_option: { value } });

export function appHomeOpened(o: Who): string {
  return JSON.stringify({
    token: "deprecated-verification-token",
    team_id: o.team,
    api_app_id: "A_ROUNDTABLE",
    type: "event_callback",
    event_id: `Ev${Math.random().toString(36).slice(2)}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "app_home_opened", user: o.user, channel: "D_HOME", tab: "home", event_ts: `${Date.now() / 1000}` },
  });
}
