import { StringDecoder } from "node:string_decoder";
import type { Dispatcher, Invocation } from "../../commands/invocation.js";
import { doc, heading, list, table, text, type Reply, type ReplyDoc } from "../../commands/reply.js";
import { styler, widthOf } from "./ansi.js";
import { say } from "./messages.js";
import { renderText } from "./render.js";
import type { ConsoleRooms } from "./rooms.js";

/** What `runConsole` needs; main.ts builds it. */
export interface ConsoleOptions {
  dispatcher: Dispatcher;
  /** The console's RoomPort, also given to the core as `Deps.ports.console`; it prints to `output` too. */
  port: ConsoleRooms;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether a person is typing (stdin is a TTY): prompts, history, completion, step-by-step questions. */
  interactive: boolean;
  historyFile?: string;
  initialUser: string;
  initialRoom: string | null;
  /** Lines printed first (partnership name, DEMO label). */
  banner: string[];
  /** Handles one may act as: `/as` refuses others and completes these. */
  knownUsers?: () => Promise<string[]>;
  /** Command words for tab completion (`case`, `task`, or whole paths like `case open`). */
  completions?: string[];
  /** Where a failure of the console itself is reported (default: standard error). */
  onError?: (e: unknown) => void;
}

/** Words the console handles itself, before anything reaches the core. */
export const META_COMMANDS = ["as", "room", "rooms", "inbox", "help", "quit"] as const;

export type Outcome = "continue" | "quit";

/**
 * One person at the terminal acting as one member in one room at a time; turns
 * each line into a meta-command, a command for the core, or an answer.
 */
export class ConsoleSession {
  user: string;
  room: string | null;

  constructor(private readonly opts: ConsoleOptions) {
    this.user = opts.initialUser;
    this.room = opts.initialRoom;
    opts.port.viewer = this.user;
  }

  /** `handle@room> ` */
  prompt(color = false): string {
    const s = styler(color);
    return `${s(this.user, "bold", "green")}${s("@", "dim")}${s(this.room ?? say("console.direct"), "bold", "cyan")}> `;
  }

  /** Lines a script may hold that are not for the core. */
  static ignored(line: string): boolean {
    const l = line.trim();
    return l === "" || l.startsWith("#");
  }

  async handle(line: string): Promise<Outcome> {
    const trimmed = line.trim();
    if (ConsoleSession.ignored(trimmed)) return "continue";
    try {
      if (!/^[!/]/.test(trimmed)) {
        await this.converse(trimmed);
        return "continue";
      }
      const body = trimmed.slice(1).trim();
      const [first = "", ...restWords] = body.split(/\s+/);
      const rest = restWords.join(" ");
      switch (first.toLowerCase()) {
        case "as":
          await this.switchUser(rest);
          return "continue";
        case "room":
          this.switchRoom(rest);
          return "continue";
        case "rooms":
          this.listRooms();
          return "continue";
        case "inbox":
          this.inbox();
          return "continue";
        case "quit":
        case "exit":
          return "quit";
        case "help":
          if (rest === "") this.consoleHelp();
          await this.dispatch(body);
          return "continue";
        default:
          await this.dispatch(body);
          return "continue";
      }
    } catch (e) {
      (this.opts.onError ?? reportToStderr)(e);
      this.note(say("console.unexpected"));
      return "continue";
    }
  }

  /** Tab completion: command words after `!` or `/`, handles after `/as`, rooms after `/room`. */
  async complete(line: string): Promise<[string[], string]> {
    const as = /^[!/]as\s+(@?)(\S*)$/i.exec(line);
    if (as) {
      const users = this.opts.knownUsers ? await this.opts.knownUsers() : [];
      const typed = as[2]!;
      return [users.filter((u) => u.startsWith(typed)).map((u) => `${as[1]}${u}`), `${as[1]}${typed}`];
    }
    const room = /^[!/]room\s+(#?)(\S*)$/i.exec(line);
    if (room) {
      const typed = room[2]!;
      const ids = this.opts.port.roomsOf(this.user).map((r) => r.id);
      return [ids.filter((id) => id.startsWith(typed)).map((id) => `${room[1]}${id}`), `${room[1]}${typed}`];
    }
    const cmd = /^[!/](.*)$/.exec(line);
    if (!cmd) return [[], line];
    const typed = cmd[1]!.toLowerCase();
    const words = [...new Set([...META_COMMANDS, ...(this.opts.completions ?? [])])].sort();
    const hits = words.filter((w) => w.startsWith(typed)).map((w) => `${w} `);
    return [hits, cmd[1]!];
  }

  private invocation(textLine: string): Invocation {
    return { platform: "console", userId: this.user, roomId: this.room, text: textLine, interactive: this.opts.interactive };
  }

  private async dispatch(body: string): Promise<void> {
    const reply = await this.opts.dispatcher.dispatch(this.invocation(body));
    this.deliver(reply);
  }

  private async converse(line: string): Promise<void> {
    const reply = await this.opts.dispatcher.converse(this.invocation(line));
    if (reply) this.deliver(reply);
    else this.note(say("console.notACommand"));
  }

  private deliver(reply: Reply): void {
    this.opts.port.deliver(reply, { userId: this.user, roomId: this.room });
  }

  private async switchUser(arg: string): Promise<void> {
    const wanted = arg.trim().replace(/^@/, "");
    if (wanted === "") {
      this.note(say("console.asUsage", { user: this.user }));
      return;
    }
    let handle = wanted;
    if (this.opts.knownUsers) {
      const known = await this.opts.knownUsers();
      const match = known.find((k) => k.toLowerCase() === wanted.toLowerCase());
      if (match === undefined) {
        this.note(say("console.asUnknown", { user: wanted, known }));
        return;
      }
      handle = match;
    }
    this.user = handle;
    this.opts.port.viewer = handle;
    this.note(say("console.asSwitched", { user: handle }));
    this.announceUnread();
  }

  private switchRoom(arg: string): void {
    const name = arg.trim().replace(/^#/, "");
    if (name === "") {
      this.room = null;
      this.note(say("console.roomDirect"));
      return;
    }
    this.room = name;
    this.note(say("console.roomSwitched", { room: name }));
    const room = this.opts.port.room(name);
    if (room?.archived) this.note(say("console.roomArchived", { room: name }));
    else if (!this.opts.port.isMember(this.user, name)) this.note(say("console.roomNotMember", { user: this.user, room: name }));
  }

  private listRooms(): void {
    const rooms = this.opts.port.roomsOf(this.user);
    if (rooms.length === 0) {
      this.note(say("console.roomsNone", { user: this.user }));
      return;
    }
    const items = rooms.map((r) => {
      const marks = [r.archived ? say("console.archived") : null, r.id === this.room ? "←" : null].filter((x) => x !== null);
      return `#${r.id}${marks.length ? ` ${marks.join(" ")}` : ""}`;
    });
    this.show(doc("info", heading(say("console.roomsTitle", { user: this.user })), list(items)));
  }

  private inbox(): void {
    const port = this.opts.port;
    const unread = port.unread(this.user);
    if (unread.length === 0) this.note(say("console.inboxNone", { user: this.user }));
    else {
      this.note(say("console.inboxTitle", { user: this.user, count: unread.length }));
      for (const m of unread) port.replay(m);
    }
    port.markRead(this.user);
  }

  private consoleHelp(): void {
    const rows: Array<[string, string]> = [
      ["/as <handle>", say("console.help.as")],
      ["/room [name]", say("console.help.room")],
      ["/rooms", say("console.help.rooms")],
      ["/inbox", say("console.help.inbox")],
      ["/quit", say("console.help.quit")],
    ];
    this.show(doc("info", heading(say("console.helpTitle")), table(["", ""], rows), text(say("console.helpPlain"))));
  }

  announceUnread(): void {
    const count = this.opts.port.unread(this.user).length;
    if (count > 0) this.note(say("console.unread", { count }));
  }

  note(line: string): void {
    this.opts.port.note(line);
  }

  private show(d: ReplyDoc): void {
    const port = this.opts.port;
    port.note(`${renderText(d, { color: port.color, width: widthOf(this.opts.output) })}\n`);
  }
}

function reportToStderr(e: unknown): void {
  process.stderr.write(`console: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
}

/** The lines of a stream, one at a time, read only as fast as they are handled. */
export async function* linesOf(input: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let buffer = "";
  let first = true;
  const take = (line: string) => {
    const l = first ? line.replace(/^\uFEFF/, "") : line;
    first = false;
    return l.replace(/\r$/, "");
  };
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    buffer += typeof chunk === "string" ? chunk : decoder.write(chunk);
    let i: number;
    while ((i = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      yield take(line);
    }
  }
  buffer += decoder.end();
  if (buffer !== "") yield take(buffer);
}
