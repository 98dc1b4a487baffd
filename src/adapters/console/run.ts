import * as readline from "node:readline";
import { styler } from "./ansi.js";
import { History, HISTORY_LIMIT } from "./history.js";
import { say } from "./messages.js";
import { ConsoleSession, linesOf, type ConsoleOptions } from "./session.js";

/**
 * Run the console until input ends or `/quit`. Interactive (a TTY): a prompt,
 * history and tab completion. Otherwise a script: each line is echoed after
 * its prompt and handled before the next is read; nothing ever prompts.
 */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const session = new ConsoleSession(opts);
  const s = styler(opts.port.color);
  for (const line of opts.banner) session.note(s(line, "bold"));
  if (opts.interactive) await interactive(session, opts);
  else await scripted(session, opts);
}

async function scripted(session: ConsoleSession, opts: ConsoleOptions): Promise<void> {
  session.announceUnread();
  for await (const line of linesOf(opts.input)) {
    if (ConsoleSession.ignored(line)) continue;
    session.note(`${session.prompt(opts.port.color)}${line.trim()}`);
    if ((await session.handle(line)) === "quit") break;
  }
}

async function interactive(session: ConsoleSession, opts: ConsoleOptions): Promise<void> {
  const { port, output } = opts;
  const history = new History(opts.historyFile);
  session.note(say("console.welcomeHint"));
  session.announceUnread();
  const rl = readline.createInterface({
    input: opts.input,
    output,
    terminal: true,
    history: history.forReadline(),
    historySize: HISTORY_LIMIT,
    removeHistoryDuplicates: true,
    completer: (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
      session.complete(line).then(
        (r) => callback(null, r),
        () => callback(null, [[], line]),
      );
    },
  });
  // Messages that arrive while the prompt waits (reminders) are printed above it, not through it.
  let busy = false;
  port.setWriter((text) => {
    if (busy) {
      output.write(text);
      return;
    }
    readline.clearLine(output, 0);
    readline.cursorTo(output, 0);
    output.write(text);
    rl.prompt(true);
  });
  rl.on("SIGINT", () => {
    if (rl.line === "") {
      rl.close();
      return;
    }
    output.write("^C\n");
    (rl as unknown as { line: string }).line = "";
    rl.prompt();
  });
  const prompt = () => {
    rl.setPrompt(session.prompt(port.color));
    rl.prompt();
  };
  try {
    prompt();
    for await (const line of rl) {
      busy = true;
      history.add(line);
      const outcome = await session.handle(line);
      busy = false;
      if (outcome === "quit") break;
      prompt();
    }
  } finally {
    port.setWriter(null);
    rl.close();
  }
}
