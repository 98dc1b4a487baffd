/** What the fake Slack workspace holds: users, channels with members, messages and pins, and what the bot showed. */

export interface FakeUser {
  id: string;
  /** The user's home team (another team for a Slack Connect user). */
  team: string;
  name: string;
}

export interface FakeMessage {
  ts: string;
  user: string;
  text: string;
  blocks: unknown[];
  files: Array<{ id: string; title: string; content: string }>;
  /** Message metadata the app attached (chat.postMessage / chat.update `metadata`). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set by chat.update. */
  edited?: { user: string; ts: string };
}

/** A pin: when, and by whom (pins.list's `created` and `created_by`). */
export interface FakePin {
  created: number;
  createdBy: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isArchived: boolean;
  creator: string;
  topic: string;
  purpose: string;
  members: Set<string>;
  messages: FakeMessage[];
  /** Pinned messages by ts. */
  pins: Map<string, FakePin>;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks: unknown[];
}

/** A message sent to a response URL (a slash command's or a button's reply). */
export interface FakeResponse {
  url: string;
  response_type?: string;
  replace_original?: boolean;
  text?: string;
  blocks?: unknown[];
}

export interface FakeCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
  /** Slack's error, "ratelimited" for a 429, or null when it succeeded. */
  error: string | null;
}

export class FakeWorkspace {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly ephemerals: FakeEphemeral[] = [];
  readonly responses: FakeResponse[] = [];
  /** Modals opened: by whom and with what view. */
  readonly opened: Array<{ user: string; view: Record<string, unknown> }> = [];
  /** The App Home last published for each user. */
  readonly homes = new Map<string, Record<string, unknown>>();
  private seq = 0;

  constructor(readonly teamId: string, readonly botUserId: string) {
    this.addUser({ id: botUserId, team: teamId, name: "roundtable" });
  }

  addUser(u: FakeUser): void {
    this.users.set(u.id, u);
  }

  addChannel(c: { id: string; name: string; isPrivate: boolean; members: string[]; creator?: string }): FakeChannel {
    const ch: FakeChannel = {
      id: c.id,
      name: c.name,
      isPrivate: c.isPrivate,
      isIm: false,
      isArchived: false,
      creator: c.creator ?? c.members[0] ?? this.botUserId,
      topic: "",
      purpose: "",
      members: new Set(c.members),
      messages: [],
      pins: new Map(),
    };
    this.channels.set(c.id, ch);
    return ch;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${String(this.seq).padStart(6, "0")}`;
  }

  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(Date.now() / 1000)}.${String(this.seq).padStart(6, "0")}`;
  }

  /** A message someone (a person, or the bot) posted in a channel, outside the bot's calls. */
  postAs(channel: string, user: string, m: { text: string; blocks?: unknown[]; metadata?: FakeMessage["metadata"] }): FakeMessage {
    const msg: FakeMessage = { ts: this.nextTs(), user, text: m.text, blocks: m.blocks ?? [], files: [], ...(m.metadata ? { metadata: m.metadata } : {}) };
    this.channels.get(channel)!.messages.push(msg);
    return msg;
  }

  /** A person pins a message, as they would in the client. */
  pinAs(channel: string, ts: string, user: string): void {
    this.channels.get(channel)!.pins.set(ts, { created: Math.floor(Date.now() / 1000), createdBy: user });
  }

  byName(name: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.name === name);
  }

  /** The DM channel between the bot and a user, if one was opened. */
  dmWith(user: string): FakeChannel | undefined {
    return [...this.channels.values()].find((c) => c.isIm && c.members.has(user));
  }

  /** Everything the bot showed one user privately: ephemeral messages and DMs, as plain text. */
  privateTextFor(user: string): string[] {
    const eph = this.ephemerals.filter((e) => e.user === user).map((e) => e.text);
    const dm = this.dmWith(user)?.messages.map((m) => m.text) ?? [];
    return [...eph, ...dm];
  }

  /** Every text the bot put anywhere (messages, ephemerals, responses, views), for data-minimisation checks. */
  everything(): string {
    const parts: unknown[] = [];
    for (const c of this.channels.values()) for (const m of c.messages) parts.push(m.text, m.blocks);
    parts.push(this.ephemerals, this.responses, this.opened, [...this.homes.values()]);
    return JSON.stringify(parts);
  }
}
