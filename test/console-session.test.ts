import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleRooms } from "../src/adapters/console/rooms.js";
import { runConsole } from "../src/adapters/console/run.js";
import type { ConsoleOptions } from "../src/adapters/console/session.js";
import { History, HISTORY_LIMIT, worthKeeping } from "../src/adapters/console/history.js";
import type { Dispatcher, Invocation } from "../src/commands/invocation.js";
import { doc, privately, text, toRoom, type Reply } from "../src/commands/reply.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "rt-console-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Collects everything written to it. */
function sink() {
  const stream = new PassThrough();
  let out = "";
  stream.on("data", (c: Buffer) => (out += c.toString("utf8")));
  return { stream, text: () => out };
}

const HANDLES = ["coordinator", "officer", "teacher", "nurse", "social", "youth"];

/**
 * A stand-in for the core: records what it is handed. `slow` lines take longer
 * than the ones after them, to show the console waits for each line in turn.
 */
function fakeDispatcher(port?: ConsoleRooms) {
  const dispatched: Invocation[] = [];
  const conversed: Invocation[] = [];
  const order: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let asking = false;
  const run = async <R>(inv: Invocation, fn: () => R | Promise<R>): Promise<R> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, inv.text.startsWith("slow") ? 30 : 1));
    try {
      return await fn();
    } finally {
      order.push(inv.text);
      inFlight--;
    }
  };
  const dispatcher: Dispatcher = {
    dispatch: (inv) =>
      run(inv, async (): Promise<Reply> => {
        dispatched.push(inv);
        if (inv.text.startsWith("announce")) return toRoom(doc("success", text(`announced by ${inv.userId}`)));
        if (inv.text.startsWith("assign")) {
          await port!.postPrivately("teacher", doc("info", text("You have a new task T-1.")));
          return privately(doc("success", text("assigned")));
        }
        if (inv.text === "concern") {
          asking = true;
          return privately(doc("info", text("What is the concern?")));
        }
        return privately(doc("info", text(`ran: ${inv.text}`)));
      }),
    converse: (inv) =>
      run(inv, async () => {
        conversed.push(inv);
        if (!asking) return null;
        asking = false;
        return privately(doc("success", text("Concern C-1 raised.")));
      }),
  };
  return { dispatcher, dispatched, conversed, order, maxInFlight: () => maxInFlight };
}

async function session(script: string, opts: Partial<ConsoleOptions> & { stateFile?: string } = {}) {
  const input = new PassThrough();
  const out = sink();
  const port = opts.port ?? new ConsoleRooms({ output: out.stream, color: false, stateFile: opts.stateFile });
  const fake = fakeDispatcher(port);
  input.end(script);
  await runConsole({
    dispatcher: fake.dispatcher,
    port,
    input,
    output: out.stream,
    interactive: false,
    initialUser: "coordinator",
    initialRoom: "partnership",
    banner: ["Northfield Prevent Partnership (DEMO)"],
    knownUsers: async () => HANDLES,
    ...opts,
  });
  return { ...fake, port, out: out.text() };
}

describe("ConsoleRooms: rooms as named contexts", () => {
  const output = () => sink().stream;

  it("creating a room is idempotent by name", async () => {
    const rooms = new ConsoleRooms({ output: output(), color: false });
    const a = await rooms.createPrivateRoom({ name: "case-0001", topic: "CASE-1", caseRef: "CASE-1", moderators: ["coordinator"] });
    const b = await rooms.createPrivateRoom({ name: "case-0001", topic: "CASE-1", caseRef: "CASE-1", moderators: ["officer"] });
    expect(a).toEqual({ roomId: "case-0001" });
    expect(b).toEqual(a);
    expect(rooms.allRooms().filter((r) => r.id === "case-0001")).toHaveLength(1);
    expect(rooms.room("case-0001")?.members).toEqual(["coordinator"]);
  });

  it("invite and remove change who is in a room, and so which rooms each person is in", async () => {
    const rooms = new ConsoleRooms({ output: output(), color: false });
    await rooms.createPrivateRoom({ name: "case-0002", topic: "", caseRef: "CASE-2", moderators: ["coordinator"] });
    await rooms.invite("case-0002", ["officer", "teacher", "officer"]);
    expect(rooms.room("case-0002")?.members).toEqual(["coordinator", "officer", "teacher"]);
    await rooms.remove("case-0002", "teacher");
    expect(rooms.isMember("teacher", "case-0002")).toBe(false);
    expect(rooms.roomsOf("officer").map((r) => r.id)).toContain("case-0002");
    expect(rooms.roomsOf("teacher").map((r) => r.id)).not.toContain("case-0002");
  });

  it("a post is labelled with its room and who can see it; a private message with its one reader", async () => {
    const out = sink();
    const rooms = new ConsoleRooms({ output: out.stream, color: false });
    await rooms.createPrivateRoom({ name: "case-0001", topic: "", caseRef: "CASE-1", moderators: ["coordinator"] });
    await rooms.invite("case-0001", ["officer", "teacher"]);
    await rooms.post("case-0001", doc("info", text("Review on Friday.")));
    await rooms.postPrivately("teacher", doc("info", text("You were added to CASE-1.")));
    expect(out.text()).toBe(
      "── #case-0001 (coordinator, officer, teacher) ──\nReview on Friday.\n\n── private to @teacher ──\nYou were added to CASE-1.\n\n",
    );
  });

  it("a room the console did not create (the partnership room) is open to everyone", async () => {
    const out = sink();
    const rooms = new ConsoleRooms({ output: out.stream, color: false });
    await rooms.post("partnership", doc("info", text("Meeting tomorrow.")));
    expect(out.text()).toContain("── #partnership (everyone) ──");
    expect(rooms.roomsOf("youth").map((r) => r.id)).toEqual(["partnership"]);
  });

  it("rooms, members and messages survive a restart with the same state file", async () => {
    const stateFile = join(tempDir(), "console-rooms.json");
    const first = new ConsoleRooms({ output: output(), color: false, stateFile });
    await first.createPrivateRoom({ name: "case-0003", topic: "CASE-3", caseRef: "CASE-3", moderators: ["coordinator"] });
    await first.invite("case-0003", ["nurse"]);
    await first.post("case-0003", doc("info", text("Hello.")));
    await first.archive("case-0003");

    const second = new ConsoleRooms({ output: output(), color: false, stateFile });
    expect(second.room("case-0003")).toMatchObject({ members: ["coordinator", "nurse"], archived: true, caseRef: "CASE-3" });
    expect(second.unread("nurse").map((m) => m.doc)).toEqual([doc("info", text("Hello."))]);
    expect(await second.createPrivateRoom({ name: "case-0003", topic: "", caseRef: "CASE-3", moderators: [] })).toEqual({ roomId: "case-0003" });
  });

  it("an archived room refuses posts, and the refused post is not kept", async () => {
    const rooms = new ConsoleRooms({ output: output(), color: false });
    await rooms.createPrivateRoom({ name: "case-0004", topic: "", caseRef: "CASE-4", moderators: ["coordinator"] });
    await rooms.archive("case-0004");
    await expect(rooms.post("case-0004", doc("info", text("late")))).rejects.toThrow(/archived/);
    expect(rooms.unread("coordinator")).toEqual([]);
  });

  it("an unreadable state file is set aside, not overwritten, and the console starts empty", async () => {
    const dir = tempDir();
    const stateFile = join(dir, "console-rooms.json");
    const { writeFileSync, readdirSync } = await import("node:fs");
    writeFileSync(stateFile, "{not json");
    const out = sink();
    const rooms = new ConsoleRooms({ output: out.stream, color: false, stateFile });
    expect(rooms.allRooms()).toEqual([]);
    expect(out.text()).toContain("could not be read");
    expect(readdirSync(dir).some((f) => f.includes("unreadable"))).toBe(true);
  });
});

describe("runConsole on a script (standard input not a terminal)", () => {
  it("hands each command to the core without its ! or / prefix, as the acting member in the current room", async () => {
    const s = await session("!task list\n/rt whoami\n");
    expect(s.dispatched).toEqual([
      { platform: "console", userId: "coordinator", roomId: "partnership", text: "task list", interactive: false },
      { platform: "console", userId: "coordinator", roomId: "partnership", text: "rt whoami", interactive: false },
    ]);
  });

  it("/as switches the acting member and /room the room; /room alone is the direct conversation", async () => {
    const s = await session(["/as teacher", "!task list", "/room case-0001", "!case info", "/as @officer", "/room", "!task list mine"].join("\n"));
    expect(s.dispatched.map((i) => [i.userId, i.roomId, i.text])).toEqual([
      ["teacher", "partnership", "task list"],
      ["teacher", "case-0001", "case info"],
      ["officer", null, "task list mine"],
    ]);
    expect(s.out).toContain("teacher@case-0001> !case info");
    expect(s.out).toContain("officer@direct> !task list mine");
  });

  it("an unknown handle is refused and the acting member stays the same", async () => {
    const s = await session("/as mallory\n!task list\n");
    expect(s.out).toContain("There is no member @mallory.");
    expect(s.dispatched.map((i) => i.userId)).toEqual(["coordinator"]);
  });

  it("plain text goes to the conversation; when there is none, the console says how to write a command", async () => {
    const s = await session("!concern\nA pupil said something worrying\nhello there\n");
    expect(s.conversed.map((i) => i.text)).toEqual(["A pupil said something worrying", "hello there"]);
    expect(s.out).toContain("Concern C-1 raised.");
    expect(s.out).toContain("Commands start with ! or /");
    expect(s.dispatched.map((i) => i.text)).toEqual(["concern"]);
  });

  it("blank lines and # comments are ignored, and not echoed", async () => {
    const s = await session("# a scripted session\n\n   \n!task list\n  # indented comment\n");
    expect(s.dispatched.map((i) => i.text)).toEqual(["task list"]);
    expect(s.conversed).toEqual([]);
    expect(s.out).not.toContain("scripted session");
  });

  it("lines are handled strictly in order, each finished before the next is read", async () => {
    const s = await session("!slow one\n!two\n!slow three\nfour\n!five\n");
    expect(s.order).toEqual(["slow one", "two", "slow three", "four", "five"]);
    expect(s.maxInFlight()).toBe(1);
    const echoes = s.out.split("\n").filter((l) => l.startsWith("coordinator@partnership> "));
    expect(echoes).toEqual(["!slow one", "!two", "!slow three", "four", "!five"].map((l) => `coordinator@partnership> ${l}`));
    expect(s.out.indexOf("ran: slow one")).toBeLessThan(s.out.indexOf("coordinator@partnership> !two"));
  });

  it("prints the banner, echoes each line after its prompt and then its reply, labelled", async () => {
    const s = await session("!task list\n");
    expect(s.out).toBe(
      [
        "Northfield Prevent Partnership (DEMO)",
        "coordinator@partnership> !task list",
        "── private to @coordinator ──",
        "ran: task list",
        "",
        "",
      ].join("\n"),
    );
  });

  it("a reply for the room is printed as a post to the current room", async () => {
    const s = await session("!announce\n");
    expect(s.out).toContain("── #partnership (everyone) ──\n✓ announced by coordinator");
  });

  it("input split across chunks, with CRLF line ends, reads as whole lines", async () => {
    const input = new PassThrough();
    const out = sink();
    const port = new ConsoleRooms({ output: out.stream, color: false });
    const fake = fakeDispatcher(port);
    const done = runConsole({
      dispatcher: fake.dispatcher,
      port,
      input,
      output: out.stream,
      interactive: false,
      initialUser: "coordinator",
      initialRoom: null,
      banner: [],
    });
    input.write("!task li");
    input.write("st\r\n!rt who");
    input.end("ami");
    await done;
    expect(fake.dispatched.map((i) => i.text)).toEqual(["task list", "rt whoami"]);
  });

  it("/quit stops reading", async () => {
    const s = await session("!one\n/quit\n!two\n");
    expect(s.dispatched.map((i) => i.text)).toEqual(["one"]);
  });

  it("/help explains the console's own commands and then asks the core for help", async () => {
    const s = await session("/help\n!help case\n");
    expect(s.out).toContain("/as <handle>");
    expect(s.out).toContain("/inbox");
    expect(s.dispatched.map((i) => i.text)).toEqual(["help", "help case"]);
  });

  it("/inbox shows what was sent to the member while someone else was acting, once", async () => {
    const s = await session(["!assign", "/as teacher", "/inbox", "/inbox"].join("\n"));
    expect(s.out).toContain("1 new message for you");
    const afterSwitch = s.out.slice(s.out.indexOf("teacher@partnership> /inbox"));
    expect(afterSwitch).toContain("1 new for @teacher");
    expect(afterSwitch).toContain("── private to @teacher ──\nYou have a new task T-1.");
    expect(afterSwitch).toContain("Nothing new for @teacher.");
  });

  it("what the acting member saw as it arrived is not in their inbox again", async () => {
    const s = await session(["!announce", "/inbox", "/as officer", "/inbox"].join("\n"));
    expect(s.out).toContain("Nothing new for @coordinator.");
    expect(s.out).toContain("1 new for @officer");
  });

  it("/rooms lists the rooms the acting member is in", async () => {
    const out = sink();
    const port = new ConsoleRooms({ output: out.stream, color: false });
    port.declareRoom("partnership", null);
    port.declareRoom("triage", ["coordinator"]);
    await port.createPrivateRoom({ name: "case-0001", topic: "", caseRef: "CASE-1", moderators: ["coordinator", "officer"] });
    await session("/rooms\n/as teacher\n/rooms\n", { port, output: out.stream });
    const [coordinatorPart = "", teacherPart = ""] = out.text().split("teacher@partnership> /rooms");
    expect(coordinatorPart).toContain("• #partnership ←");
    expect(coordinatorPart).toContain("• #triage");
    expect(coordinatorPart).toContain("• #case-0001");
    expect(teacherPart).toContain("• #partnership");
    expect(teacherPart).not.toContain("#triage");
    expect(teacherPart).not.toContain("#case-0001");
  });

  it("rooms a script creates are still there for the next run", async () => {
    const stateFile = join(tempDir(), "console-rooms.json");
    await session("!announce\n", { stateFile });
    const saved = JSON.parse(readFileSync(stateFile, "utf8")) as { rooms: Array<{ id: string }> };
    expect(saved.rooms.map((r) => r.id)).toEqual(["partnership"]);
  });
});

describe("history file", () => {
  it("keeps commands but never concern details or answers to the bot's questions", () => {
    expect(worthKeeping("!task list")).toBe(true);
    expect(worthKeeping("/case open C-4 lead:police")).toBe(true);
    expect(worthKeeping("!concern worried about a pupil name:\"Jo Bloggs\"")).toBe(false);
    expect(worthKeeping("!task text name:x")).toBe(false);
    expect(worthKeeping("Jo Bloggs")).toBe(false);
  });

  it("is loaded at start, newest first for readline, and capped at 1,000 lines", () => {
    const file = join(tempDir(), "console-history");
    const first = new History(file);
    for (let i = 1; i <= HISTORY_LIMIT + 5; i++) first.add(`!task done T-${i}`);
    first.add("!task done T-1005");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    expect(lines).toHaveLength(HISTORY_LIMIT);
    expect(lines[0]).toBe("!task done T-6");
    const second = new History(file).forReadline();
    expect(second[0]).toBe("!task done T-1005");
    expect(second).toHaveLength(HISTORY_LIMIT);
  });
});
