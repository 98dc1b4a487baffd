import { blockProblems, viewProblems } from "./blockkit.js";
import type { FakeChannel, FakeMessage, FakeWorkspace } from "./state.js";

/** A Slack `ok: false` answer. */
export class SlackFail extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

type Args = Record<string, unknown>;

export interface MethodContext {
  ws: FakeWorkspace;
  baseUrl: string;
  /** Trigger ids handed out with interactions: valid for 3 seconds, once. */
  triggers: Map<string, { user: string; expires: number }>;
  uploads: Map<string, { filename: string; content: string | null }>;
  /** Page size of conversations.list, small so that pagination is exercised. */
  pageSize: number;
}

interface Method {
  required: string[];
  /** The scope the call needs, given its arguments; null: none. */
  scope: (ws: FakeWorkspace, a: Args) => string | null;
  run: (c: MethodContext, a: Args) => Record<string, unknown>;
}

const str = (a: Args, k: string): string => {
  const v = a[k];
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "";
};
const byChannel = (privateScope: string, publicScope: string) => (ws: FakeWorkspace, a: Args) =>
  ws.channels.get(str(a, "channel"))?.isPrivate === false ? publicScope : privateScope;

/** A channel the bot can act in: it exists, the bot can see it, and it is not archived (unless allowed). */
function channelFor(ws: FakeWorkspace, id: string, o: { archivedOk?: boolean } = {}): FakeChannel {
  const ch = ws.channels.get(id);
  if (!ch || ((ch.isPrivate || ch.isIm) && !ch.members.has(ws.botUserId))) throw new SlackFail("channel_not_found");
  if (ch.isArchived && !o.archivedOk) throw new SlackFail("is_archived");
  return ch;
}

function messageContent(a: Args): { text: string; blocks: unknown[] } {
  const blocks = (a["blocks"] ?? []) as unknown[];
  const text = str(a, "text");
  if (text === "" && blocks.length === 0) throw new SlackFail("no_text");
  const problems = blockProblems(blocks, 50, "message");
  if (problems.length) throw new SlackFail("invalid_blocks", { response_metadata: { messages: problems } });
  return { text, blocks };
}

/** `metadata` as chat.postMessage and chat.update take it: an event_type and an event_payload object. */
function messageMetadata(a: Args): FakeMessage["metadata"] {
  const raw = a["metadata"];
  if (raw === undefined || raw === "") return undefined;
  let m: unknown = raw;
  if (typeof raw === "string") {
    try {
      m = JSON.parse(raw);
    } catch {
      throw new SlackFail("invalid_metadata_format");
    }
  }
  const o = m as { event_type?: unknown; event_payload?: unknown };
  if (!o || typeof o !== "object" || typeof o.event_type !== "string" || !o.event_payload || typeof o.event_payload !== "object" || Array.isArray(o.event_payload)) {
    throw new SlackFail("invalid_metadata_format");
  }
  return { event_type: o.event_type, event_payload: o.event_payload as Record<string, unknown> };
}

/**
 * A message as the Web API returns it inside pins.list: the documented fields,
 * blocks (with their block_id) and, for the bot's own, bot_id and app_id.
 * Metadata is not among them (Slack returns it only from conversations.history
 * and conversations.replies, and there only when asked to).
 */
function messageJson(ws: FakeWorkspace, ch: FakeChannel, m: FakeMessage) {
  return {
    type: "message",
    user: m.user,
    ...(m.user === ws.botUserId ? { bot_id: "B_BOT", app_id: "A_ROUNDTABLE" } : {}),
    text: m.text,
    ...(m.blocks.length ? { blocks: m.blocks } : {}),
    ts: m.ts,
    team: ws.teamId,
    ...(m.edited ? { edited: m.edited } : {}),
    permalink: `https://fake.slack.test/archives/${ch.id}/p${m.ts.replace(".", "")}`,
    pinned_to: [ch.id],
  };
}

function channelJson(c: FakeChannel) {
  return { id: c.id, name: c.name, is_private: c.isPrivate, is_im: c.isIm, is_archived: c.isArchived, creator: c.creator, topic: { value: c.topic }, purpose: { value: c.purpose } };
}

export const METHODS: Record<string, Method> = {
  "auth.test": {
    required: [],
    scope: () => null,
    run: ({ ws }) => ({ url: "https://fake.slack.test/", team: "Fake", user: "roundtable", team_id: ws.teamId, user_id: ws.botUserId, bot_id: "B_BOT" }),
  },
  "chat.postMessage": {
    required: ["channel"],
    scope: () => "chat:write",
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      if (!ch.members.has(ws.botUserId)) throw new SlackFail("not_in_channel");
      const ts = ws.nextTs();
      const metadata = messageMetadata(a);
      ch.messages.push({ ts, user: ws.botUserId, ...messageContent(a), files: [], ...(metadata ? { metadata } : {}) });
      return { channel: ch.id, ts };
    },
  },
  "chat.update": {
    required: ["channel", "ts"],
    scope: () => "chat:write",
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      const m = ch.messages.find((x) => x.ts === str(a, "ts"));
      if (!m) throw new SlackFail("message_not_found");
      // A bot may only edit what it posted itself.
      if (m.user !== ws.botUserId) throw new SlackFail("cant_update_message");
      const content = messageContent(a);
      const metadata = messageMetadata(a);
      m.text = content.text;
      m.blocks = content.blocks;
      if (metadata) m.metadata = metadata;
      m.edited = { user: ws.botUserId, ts: ws.nextTs() };
      return { channel: ch.id, ts: m.ts, text: m.text, message: { type: "message", user: m.user, text: m.text, blocks: m.blocks } };
    },
  },
  "chat.postEphemeral": {
    required: ["channel", "user"],
    scope: () => "chat:write",
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      if (!ch.members.has(str(a, "user"))) throw new SlackFail("user_not_in_channel");
      ws.ephemerals.push({ channel: ch.id, user: str(a, "user"), ...messageContent(a) });
      return { message_ts: ws.nextTs() };
    },
  },
  "conversations.create": {
    required: ["name"],
    scope: (_ws, a) => (a["is_private"] === true || a["is_private"] === "true" ? "groups:write" : "channels:manage"),
    run: ({ ws }, a) => {
      const name = str(a, "name");
      if (!/^[a-z0-9][a-z0-9._-]{0,79}$/.test(name)) throw new SlackFail("invalid_name_specials");
      if (ws.byName(name)) throw new SlackFail("name_taken");
      const isPrivate = a["is_private"] === true || a["is_private"] === "true";
      const ch = ws.addChannel({ id: ws.nextId(isPrivate ? "G" : "C"), name, isPrivate, members: [ws.botUserId], creator: ws.botUserId });
      return { channel: channelJson(ch) };
    },
  },
  "conversations.setTopic": {
    required: ["channel", "topic"],
    scope: byChannel("groups:write", "channels:manage"),
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      if (str(a, "topic").length > 250) throw new SlackFail("too_long");
      ch.topic = str(a, "topic");
      return { channel: channelJson(ch) };
    },
  },
  "conversations.setPurpose": {
    required: ["channel", "purpose"],
    scope: byChannel("groups:write", "channels:manage"),
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      if (str(a, "purpose").length > 250) throw new SlackFail("too_long");
      ch.purpose = str(a, "purpose");
      return { channel: channelJson(ch) };
    },
  },
  "conversations.invite": {
    required: ["channel", "users"],
    scope: byChannel("groups:write", "channels:manage"),
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      const users = str(a, "users").split(",").filter(Boolean);
      for (const u of users) {
        if (u === ws.botUserId) throw new SlackFail("cant_invite_self");
        if (!ws.users.has(u)) throw new SlackFail("user_not_found");
        if (ch.members.has(u)) throw new SlackFail("already_in_channel");
      }
      for (const u of users) ch.members.add(u);
      return { channel: channelJson(ch) };
    },
  },
  "conversations.kick": {
    required: ["channel", "user"],
    scope: byChannel("groups:write", "channels:manage"),
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      const u = str(a, "user");
      if (u === ws.botUserId) throw new SlackFail("cant_kick_self");
      if (!ch.members.delete(u)) throw new SlackFail("not_in_channel");
      return {};
    },
  },
  "conversations.archive": {
    required: ["channel"],
    scope: byChannel("groups:write", "channels:manage"),
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"), { archivedOk: true });
      if (ch.isArchived) throw new SlackFail("already_archived");
      ch.isArchived = true;
      return {};
    },
  },
  "conversations.list": {
    required: [],
    scope: (_ws, a) => (str(a, "types").includes("private_channel") ? "groups:read" : "channels:read"),
    run: ({ ws, pageSize }, a) => {
      const types = str(a, "types") || "public_channel";
      const all = [...ws.channels.values()].filter(
        (c) =>
          !c.isIm &&
          (c.isPrivate ? types.includes("private_channel") && c.members.has(ws.botUserId) : types.includes("public_channel")) &&
          !(c.isArchived && (a["exclude_archived"] === true || a["exclude_archived"] === "true")),
      );
      const start = Number(str(a, "cursor") || 0);
      const size = Math.min(Number(a["limit"] ?? 100), pageSize);
      const page = all.slice(start, start + size);
      const next = start + size < all.length ? String(start + size) : "";
      return { channels: page.map(channelJson), response_metadata: { next_cursor: next } };
    },
  },
  "conversations.open": {
    required: ["users"],
    scope: () => "im:write",
    run: ({ ws }, a) => {
      const user = str(a, "users");
      if (!ws.users.has(user)) throw new SlackFail("user_not_found");
      const existing = ws.dmWith(user);
      if (existing) return { channel: { id: existing.id } };
      const ch = ws.addChannel({ id: ws.nextId("D"), name: `dm-${user}`, isPrivate: true, members: [ws.botUserId, user] });
      ch.isIm = true;
      return { channel: { id: ch.id } };
    },
  },
  "pins.add": {
    required: ["channel", "timestamp"],
    scope: () => "pins:write",
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"));
      if (!ch.messages.some((m) => m.ts === str(a, "timestamp"))) throw new SlackFail("message_not_found");
      if (ch.pins.has(str(a, "timestamp"))) throw new SlackFail("already_pinned");
      ch.pins.set(str(a, "timestamp"), { created: Math.floor(Date.now() / 1000), createdBy: ws.botUserId });
      return {};
    },
  },
  "pins.list": {
    required: ["channel"],
    scope: () => "pins:read",
    run: ({ ws }, a) => {
      const ch = channelFor(ws, str(a, "channel"), { archivedOk: true });
      // Newest pin first; no pagination (a channel holds at most 100 pins).
      const items = [...ch.pins.entries()]
        .map(([ts, pin]) => ({ pin, message: ch.messages.find((m) => m.ts === ts) }))
        .filter((x): x is { pin: typeof x.pin; message: FakeMessage } => x.message !== undefined)
        .reverse()
        .map(({ pin, message }) => ({ type: "message", channel: ch.id, created: pin.created, created_by: pin.createdBy, message: messageJson(ws, ch, message) }));
      return { items };
    },
  },
  "users.info": {
    required: ["user"],
    scope: () => "users:read",
    run: ({ ws }, a) => {
      const u = ws.users.get(str(a, "user"));
      if (!u) throw new SlackFail("user_not_found");
      return { user: { id: u.id, team_id: u.team, name: u.name, is_bot: u.id === ws.botUserId } };
    },
  },
  "views.open": {
    required: ["trigger_id", "view"],
    scope: () => null,
    run: ({ ws, triggers }, a) => {
      const t = triggers.get(str(a, "trigger_id"));
      if (!t) throw new SlackFail("invalid_trigger_id");
      triggers.delete(str(a, "trigger_id"));
      if (Date.now() > t.expires) throw new SlackFail("expired_trigger_id");
      const problems = viewProblems(a["view"], "modal");
      if (problems.length) throw new SlackFail("invalid_arguments", { response_metadata: { messages: problems } });
      const view = { ...(a["view"] as Record<string, unknown>), id: ws.nextId("V") };
      ws.opened.push({ user: t.user, view });
      return { view };
    },
  },
  "views.publish": {
    required: ["user_id", "view"],
    scope: () => null,
    run: ({ ws }, a) => {
      const problems = viewProblems(a["view"], "home");
      if (problems.length) throw new SlackFail("invalid_arguments", { response_metadata: { messages: problems } });
      ws.homes.set(str(a, "user_id"), a["view"] as Record<string, unknown>);
      return { view: a["view"] };
    },
  },
  "files.getUploadURLExternal": {
    required: ["filename", "length"],
    scope: () => "files:write",
    run: ({ ws, baseUrl, uploads }, a) => {
      const id = ws.nextId("F");
      uploads.set(id, { filename: str(a, "filename"), content: null });
      return { upload_url: `${baseUrl}/upload/${id}`, file_id: id };
    },
  },
  "files.completeUploadExternal": {
    required: ["files"],
    scope: () => "files:write",
    run: ({ ws, uploads }, a) => {
      const files = (typeof a["files"] === "string" ? JSON.parse(a["files"]) : a["files"]) as Array<{ id: string; title?: string }>;
      const ch = a["channel_id"] ? channelFor(ws, str(a, "channel_id")) : undefined;
      const done = files.map((f) => {
        const up = uploads.get(f.id);
        if (!up || up.content === null) throw new SlackFail("file_not_found");
        return { id: f.id, title: f.title ?? up.filename, content: up.content };
      });
      if (ch) ch.messages.push({ ts: ws.nextTs(), user: ws.botUserId, text: "", blocks: [], files: done });
      return { files: done.map((f) => ({ id: f.id, title: f.title })) };
    },
  },
};
