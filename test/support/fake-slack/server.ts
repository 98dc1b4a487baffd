import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { blockProblems } from "./blockkit.js";
import { METHODS, SlackFail, type MethodContext } from "./methods.js";
import { FakeWorkspace, type FakeCall } from "./state.js";

export interface FakeSlackOptions {
  botToken?: string;
  /** The bot token's scopes; a call needing another one fails with missing_scope. */
  scopes: string[];
  teamId?: string;
  botUserId?: string;
  /** chat.postMessage faster than this in one channel gets a 429 (0: no channel limit). */
  channelIntervalMs?: number;
  /** Retry-After of every 429, in seconds. */
  retryAfterSeconds?: number;
}

/**
 * A local Slack Web API: validates each method's required arguments, the
 * token and its scopes, models channels (privacy, membership, archiving, pins),
 * DMs, ephemeral messages, views, file uploads and response URLs, and rate limits.
 */
export class FakeSlack {
  readonly ws: FakeWorkspace;
  readonly calls: FakeCall[] = [];
  readonly botToken: string;
  readonly scopes: Set<string>;
  /** Scopes that calls actually needed. */
  readonly scopesUsed = new Set<string>();
  /** Calls to refuse once each with Slack's `error`, in order. */
  private failures: Array<{ method: string; error: string }> = [];
  private forcedLimits = new Map<string, number>();
  private lastPost = new Map<string, number>();
  private server: Server | undefined;
  private readonly ctx: MethodContext;
  channelIntervalMs: number;
  retryAfterSeconds: number;
  url = "";

  constructor(o: FakeSlackOptions) {
    this.botToken = o.botToken ?? "xoxb-fake";
    this.scopes = new Set(o.scopes);
    this.ws = new FakeWorkspace(o.teamId ?? "T1", o.botUserId ?? "UBOT");
    this.channelIntervalMs = o.channelIntervalMs ?? 0;
    this.retryAfterSeconds = o.retryAfterSeconds ?? 1;
    this.ctx = { ws: this.ws, baseUrl: "", triggers: new Map(), uploads: new Map(), pageSize: 2 };
  }

  /** The Web API base URL to give the client. */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.ctx.baseUrl = this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => {
      this.server?.close(() => r());
      this.server?.closeAllConnections();
    });
  }

  /** A trigger id as Slack sends with an interaction (valid 3 s, once). */
  trigger(user: string): string {
    const id = `trig-${Math.random().toString(36).slice(2)}`;
    this.ctx.triggers.set(id, { user, expires: Date.now() + 3000 });
    return id;
  }

  /** A response URL as Slack sends with a slash command or a message button. */
  responseUrl(): string {
    return `${this.url}/response/${Math.random().toString(36).slice(2)}`;
  }

  /** Refuse the next call of `method` with Slack's `error`. */
  failNext(method: string, error: string): void {
    this.failures.push({ method, error });
  }

  /** Answer the next `times` calls of `method` with a 429. */
  rateLimit(method: string, times = 1): void {
    this.forcedLimits.set(method, (this.forcedLimits.get(method) ?? 0) + times);
  }

  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? "").split("?")[0]!;
    if (path.startsWith("/upload/")) return this.upload(path.slice(8), body, res);
    if (path.startsWith("/response/")) return this.response(req.url ?? "", body, res);
    if (!path.startsWith("/api/")) return void res.writeHead(404).end();
    const method = path.slice(5);
    const args = parseArgs(req.headers["content-type"] ?? "", body);
    const call: FakeCall = { method, args, at: Date.now(), error: null };
    this.calls.push(call);
    const send = (status: number, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(payload));
    if (this.isRateLimited(method, args)) {
      call.error = "ratelimited";
      return send(429, { ok: false, error: "ratelimited" }, { "retry-after": String(this.retryAfterSeconds) });
    }
    try {
      const auth = req.headers.authorization ?? (typeof args["token"] === "string" ? `Bearer ${args["token"]}` : "");
      if (!auth) throw new SlackFail("not_authed");
      if (auth !== `Bearer ${this.botToken}`) throw new SlackFail("invalid_auth");
      const m = METHODS[method];
      if (!m) throw new SlackFail("unknown_method");
      const missing = m.required.filter((k) => args[k] === undefined || args[k] === "");
      if (missing.length) throw new SlackFail("invalid_arguments", { response_metadata: { messages: missing.map((k) => `[ERROR] missing required field: ${k}`) } });
      const scope = m.scope(this.ws, args);
      if (scope) {
        if (!this.scopes.has(scope)) throw new SlackFail("missing_scope", { needed: scope, provided: [...this.scopes].join(",") });
        this.scopesUsed.add(scope);
      }
      const failure = this.failures.findIndex((f) => f.method === method);
      if (failure >= 0) throw new SlackFail(this.failures.splice(failure, 1)[0]!.error);
      const result = m.run(this.ctx, args);
      if (method === "chat.postMessage") this.lastPost.set(String(args["channel"]), Date.now());
      send(200, { ok: true, ...result });
    } catch (e) {
      if (!(e instanceof SlackFail)) throw e;
      call.error = e.error;
      send(200, { ok: false, error: e.error, ...e.extra });
    }
  }

  private isRateLimited(method: string, args: Record<string, unknown>): boolean {
    const forced = this.forcedLimits.get(method) ?? 0;
    if (forced > 0) {
      this.forcedLimits.set(method, forced - 1);
      return true;
    }
    if (method !== "chat.postMessage" || this.channelIntervalMs <= 0) return false;
    const last = this.lastPost.get(String(args["channel"]));
    return last !== undefined && Date.now() - last < this.channelIntervalMs;
  }

  private upload(id: string, body: Buffer, res: ServerResponse): void {
    const up = this.ctx.uploads.get(id);
    if (!up) return void res.writeHead(404).end();
    up.content = body.toString("utf8");
    res.writeHead(200).end(`OK - ${body.length}`);
  }

  private response(url: string, body: Buffer, res: ServerResponse): void {
    const msg = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
    const problems = msg["blocks"] ? blockProblems(msg["blocks"], 50, "message") : [];
    if (problems.length || (msg["response_type"] !== undefined && msg["response_type"] !== "ephemeral" && msg["response_type"] !== "in_channel")) {
      res.writeHead(400).end(`invalid_blocks: ${problems.join("; ")}`);
      return;
    }
    this.ws.responses.push({ url: `${this.url}${url}`, ...msg });
    res.writeHead(200).end("ok");
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Form-encoded or JSON arguments; JSON-encoded values (blocks, view) decoded. */
function parseArgs(contentType: string, body: Buffer): Record<string, unknown> {
  const raw = body.toString("utf8");
  if (contentType.includes("application/json")) return JSON.parse(raw || "{}") as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = (k === "blocks" || k === "view" || k === "files" || k === "metadata") && /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}
