import { getPriority, setPriority } from "node:os";
import { isMainThread, parentPort, Worker } from "node:worker_threads";

/**
 * Slack over HTTP runs in two threads: the main thread (the "front") only
 * verifies and acknowledges requests and answers /healthz and /metrics; the app
 * thread holds the database, the command core, the scheduler and every platform
 * adapter. Command work then never queues in front of an acknowledgement, which
 * Slack wants within 3 s and which the ack benchmark compares with a bare Bolt
 * app. The two talk through the messages below.
 */

/** A Slack request the front verified, with whether the front has already answered it (an empty 200). */
export interface ForwardedEvent {
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
  acked: boolean;
}

/** What the app's handler acknowledged: a response body (a view's errors, say), or none. */
export interface AckResult {
  response?: unknown;
  /** No handler acknowledged it (Bolt found none for it). */
  unhandled?: boolean;
}

type ToApp =
  | { kind: "slack"; id: number; event: ForwardedEvent }
  | { kind: "health"; id: number }
  | { kind: "metrics"; id: number }
  | { kind: "stop" };

type FromApp =
  | { kind: "ready" }
  | { kind: "fail"; message: string; code: number }
  | { kind: "answer"; id: number; ok: true; value: unknown }
  | { kind: "answer"; id: number; ok: false; error: string };

/** A message port as both threads see it (a Worker on the front's side, parentPort on the app's). */
interface Port {
  postMessage(m: unknown): void;
  on(event: "message", listener: (m: unknown) => void): unknown;
}

/** How long the front waits for the app to answer /healthz or /metrics, or to acknowledge a request it has not. */
const ASK_TIMEOUT_MS = 2_500;

/** The front's handle on the app thread. */
export class AppThread {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** Resolves once the app has started; rejects with its failure (message and exit code) if it does not. */
  readonly ready: Promise<void>;
  /** The app thread's exit code, whenever it exits. */
  readonly exited: Promise<number>;

  constructor(private readonly port: Port, exited: Promise<number>) {
    this.exited = exited;
    let started!: () => void;
    let failed!: (e: StartFailure) => void;
    this.ready = new Promise<void>((resolve, reject) => ((started = resolve), (failed = reject)));
    let failure: StartFailure | undefined;
    port.on("message", (raw) => {
      const m = raw as FromApp;
      if (m.kind === "ready") started();
      else if (m.kind === "fail") failure = new StartFailure(m.message, m.code);
      else this.settle(m);
    });
    void exited.then((code) => {
      failed(failure ?? new StartFailure(`the app thread exited (code ${code}) before it was ready`, code || 1));
      for (const w of this.waiting.values()) w.reject(new Error("the app thread has exited"));
      this.waiting.clear();
    });
  }

  /** Start `entry` (a module that runs the app when it is not on the main thread) as the app thread. */
  static start(entry: URL): AppThread {
    const worker = new Worker(...workerArgs(entry));
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
    // An uncaught error in the app thread ends it; 'exit' follows with code 1 and the front stops too.
    worker.on("error", (e) => process.stderr.write(`Roundtable app thread failed: ${e.stack ?? e.message}\n`));
    return new AppThread(worker, exited);
  }

  /** A request the front has answered already: the app runs it, and says nothing back. */
  post(event: ForwardedEvent & { acked: true }): void {
    this.port.postMessage({ kind: "slack", id: 0, event } satisfies ToApp);
  }

  /** A request only the app's handler can answer (a form's validation errors, say). */
  forward(event: ForwardedEvent & { acked: false }): Promise<AckResult> {
    return this.ask<AckResult>((id) => ({ kind: "slack", id, event }));
  }

  health(): Promise<void> {
    return this.ask<void>((id) => ({ kind: "health", id }));
  }

  metrics(): Promise<string> {
    return this.ask<string>((id) => ({ kind: "metrics", id }));
  }

  /** Ask the app to shut down (finish what it acknowledged, close the database); resolves with its exit code. */
  stop(): Promise<number> {
    this.port.postMessage({ kind: "stop" } satisfies ToApp);
    return this.exited;
  }

  private ask<T>(message: (id: number) => ToApp): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error("the app thread did not answer in time"));
      }, ASK_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.port.postMessage(message(id));
    });
  }

  private settle(m: Extract<FromApp, { kind: "answer" }>): void {
    const w = this.waiting.get(m.id);
    if (!w) return; // answered after its timeout
    this.waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new Error(m.error));
  }
}

/** The app failed to start for a reason the operator can fix: its message, and the exit code to leave with. */
export class StartFailure extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * Under tsx (how `npm start` runs), a worker does not inherit the TypeScript
 * loader on Node 20: the worker starts from a small ES module that imports the
 * entry through tsx's API. Compiled JavaScript starts directly.
 */
function workerArgs(entry: URL): [URL] {
  if (!entry.pathname.endsWith(".ts")) return [entry];
  const api = import.meta.resolve("tsx/esm/api");
  const boot = `import { tsImport } from ${JSON.stringify(api)}; await tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)});`;
  return [new URL(`data:text/javascript,${encodeURIComponent(boot)}`)];
}

/**
 * The app thread runs at a lower scheduling priority than the front, so that
 * on a busy machine an acknowledgement gets the CPU before command work does
 * (the work waits milliseconds; Slack gives the acknowledgement 3 s in all).
 * On Linux the nice value belongs to the thread (setpriority(2), "BUGS"), so
 * this leaves the front and PostgreSQL as they are. Elsewhere, or where it is
 * not allowed, it changes nothing.
 */
const APP_THREAD_NICENESS = 10;

function yieldToFront(): void {
  if (process.platform !== "linux") return;
  try {
    setPriority(0, Math.max(getPriority(0), APP_THREAD_NICENESS));
  } catch {
    // Not permitted here: the threads share the CPU evenly, which is still correct.
  }
}

/** What the app thread answers. */
export interface AppServices {
  slack(event: ForwardedEvent): Promise<AckResult>;
  health(): Promise<void>;
  metrics(): string;
  /** Shut down; the thread ends when it resolves. */
  stop(): Promise<void>;
}

/** The app thread's side: null on the main thread (the app runs alone there, without a front). */
export class FrontLink {
  /** `port`: the app thread's parentPort (or, in tests, one end of a MessageChannel). */
  constructor(private readonly port: Port) {}

  static here(): FrontLink | null {
    return isMainThread || !parentPort ? null : new FrontLink(parentPort);
  }

  /** Answer the front's requests with `services`, and tell it the app is ready. */
  serve(services: AppServices): void {
    yieldToFront();
    const answer = (id: number, work: () => Promise<unknown>) => {
      work().then(
        (value) => this.port.postMessage({ kind: "answer", id, ok: true, value } satisfies FromApp),
        (e: unknown) => this.port.postMessage({ kind: "answer", id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies FromApp),
      );
    };
    this.port.on("message", (raw) => {
      const m = raw as ToApp;
      if (m.kind === "slack" && m.event.acked) void services.slack(m.event).catch(() => {}); // the adapter logs its own failures
      else if (m.kind === "slack") answer(m.id, () => services.slack(m.event));
      else if (m.kind === "health") answer(m.id, () => services.health());
      else if (m.kind === "metrics") answer(m.id, async () => services.metrics());
      else
        void services.stop().then(
          () => process.exit(0),
          (e: unknown) => {
            process.stderr.write(`Roundtable did not stop cleanly: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exit(1);
          },
        );
    });
    this.port.postMessage({ kind: "ready" } satisfies FromApp);
  }

  /** A start-up failure the operator can fix: the front prints it and exits with `code`. */
  fail(message: string, code: number): never {
    this.port.postMessage({ kind: "fail", message, code } satisfies FromApp);
    process.exit(code);
  }
}
