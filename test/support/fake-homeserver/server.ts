import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MatrixApiError, notFound } from "./errors.js";
import { Homeserver, type CreateRoomBody } from "./homeserver.js";

/**
 * The fake homeserver over HTTP: the client-server API subset the bot uses,
 * mapped onto the Homeserver model, with access tokens, long-polling /sync,
 * rate limiting on demand, and a log of every request.
 */

export interface RequestRecord {
  method: string;
  path: string;
  userId: string | null;
  status: number;
}

interface RateLimit {
  match: RegExp;
  remaining: number;
  retryAfterMs: number;
}

type Handler = (ctx: { user: string; token: string; body: Record<string, unknown>; query: URLSearchParams; params: string[] }) => unknown;

export class FakeHomeserverHttp {
  readonly requests: RequestRecord[] = [];
  private readonly tokens = new Map<string, string>();
  private readonly limits: RateLimit[] = [];
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [];
  private server: Server | undefined;
  private closing = false;
  url = "";

  constructor(readonly hs: Homeserver) {
    this.defineRoutes();
  }

  /** A user with an access token (users of any server name: the fake stands in for the whole federation). */
  register(userId: string, token = `tok_${userId.replace(/[^a-z0-9]/gi, "_")}`): string {
    this.tokens.set(token, userId);
    return token;
  }

  /** Answer the next `times` requests whose path matches with 429 M_LIMIT_EXCEEDED. */
  rateLimit(match: RegExp, times: number, retryAfterMs: number): void {
    this.limits.push({ match, remaining: times, retryAfterMs });
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private route(method: string, path: string, handler: Handler): void {
    const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}$`);
    this.routes.push({ method, pattern, handler });
  }

  private defineRoutes(): void {
    const hs = this.hs;
    const C = "/_matrix/client/v3";
    const own = (user: string, target: string) => {
      if (user !== target) throw new MatrixApiError(403, "M_FORBIDDEN", "not your account");
    };
    this.route("GET", "/_matrix/client/versions", () => ({ versions: ["v1.1", "v1.6", "v1.11"] }));
    this.route("GET", `${C}/account/whoami`, ({ user }) => ({ user_id: user, device_id: "FAKEDEVICE" }));
    this.route("GET", `${C}/joined_rooms`, ({ user }) => ({ joined_rooms: hs.joinedRooms(user) }));
    this.route("GET", `${C}/user/:u/account_data/:t`, ({ user, params }) => (own(user, params[0]!), hs.getAccountData(user, params[1]!)));
    this.route("PUT", `${C}/user/:u/account_data/:t`, ({ user, params, body }) => (own(user, params[0]!), hs.setAccountData(user, params[1]!, body), {}));
    this.route("POST", `${C}/user/:u/filter`, ({ user, params, body }) => {
      own(user, params[0]!);
      const id = String(hs.filters.size + 1);
      hs.filters.set(id, body);
      return { filter_id: id };
    });
    this.route("GET", `${C}/sync`, async ({ user, query }) => {
      const since = query.get("since");
      const pos = since ? Number(since.slice(1)) : null;
      const timeout = Math.min(Number(query.get("timeout") ?? 0), 30_000);
      if (pos !== null && timeout > 0 && !hs.hasNews(user, pos)) {
        const deadline = Date.now() + timeout;
        while (!this.closing && Date.now() < deadline && !hs.hasNews(user, pos)) await hs.waitForChange(deadline - Date.now());
      }
      return hs.sync(user, pos);
    });
    this.route("POST", `${C}/createRoom`, ({ user, body }) => ({ room_id: hs.createRoom(user, body as CreateRoomBody) }));
    this.route("GET", `${C}/publicRooms`, () => ({
      chunk: [...hs.directory].map((id) => ({ room_id: id, name: hs.room(id).stateContent<{ name?: string }>("m.room.name")?.name })),
    }));
    this.route("POST", `${C}/rooms/:r/invite`, ({ user, params, body }) => (hs.invite(user, params[0]!, String(body["user_id"])), {}));
    this.route("POST", `${C}/rooms/:r/join`, ({ user, params }) => (hs.join(user, params[0]!), { room_id: params[0] }));
    this.route("POST", `${C}/join/:r`, ({ user, params }) => (hs.join(user, params[0]!), { room_id: params[0] }));
    this.route("POST", `${C}/rooms/:r/leave`, ({ user, params }) => (hs.leave(user, params[0]!), {}));
    this.route("POST", `${C}/rooms/:r/forget`, () => ({}));
    this.route("POST", `${C}/rooms/:r/kick`, ({ user, params, body }) => (hs.kick(user, params[0]!, String(body["user_id"]), body["reason"] as string | undefined), {}));
    this.route("PUT", `${C}/rooms/:r/send/:t/:txn`, ({ user, token, params, body }) => ({
      event_id: hs.send(user, params[0]!, params[1]!, body, { token, txnId: params[2]! }),
    }));
    this.route("PUT", `${C}/rooms/:r/redact/:e/:txn`, ({ user, params }) => ({ event_id: hs.redact(user, params[0]!, params[1]!) }));
    this.route("PUT", `${C}/rooms/:r/state/:t/:k`, ({ user, params, body }) => ({ event_id: hs.setState(user, params[0]!, params[1]!, params[2]!, body) }));
    this.route("PUT", `${C}/rooms/:r/state/:t`, ({ user, params, body }) => ({ event_id: hs.setState(user, params[0]!, params[1]!, "", body) }));
    const readState = (user: string, roomId: string, type: string, key: string) => {
      const room = hs.room(roomId);
      if (!room.membership(user)) throw new MatrixApiError(403, "M_FORBIDDEN", "not in the room");
      const e = room.stateEvent(type, key);
      if (!e) throw notFound("no such state");
      return e.content;
    };
    this.route("GET", `${C}/rooms/:r/state/:t/:k`, ({ user, params }) => readState(user, params[0]!, params[1]!, params[2]!));
    this.route("GET", `${C}/rooms/:r/state/:t`, ({ user, params }) => readState(user, params[0]!, params[1]!, ""));
    this.route("GET", `${C}/rooms/:r/state`, ({ user, params }) => {
      const room = hs.room(params[0]!);
      room.requireJoined(user);
      return [...room.state.values()].map(({ pos: _p, ...e }) => e);
    });
    this.route("GET", `${C}/rooms/:r/event/:e`, ({ user, params }) => hs.event(user, params[0]!, params[1]!));
    this.route("GET", `${C}/rooms/:r/messages`, ({ user, params, query }) =>
      hs.messages(user, params[0]!, { dir: query.get("dir"), from: query.get("from"), limit: query.get("limit"), filter: query.get("filter") }),
    );
    this.route("GET", `${C}/rooms/:r/joined_members`, ({ user, params }) => {
      const room = hs.room(params[0]!);
      room.requireJoined(user);
      return { joined: Object.fromEntries(room.members("join").map((u) => [u, { display_name: null, avatar_url: null }])) };
    });
    this.route("GET", `${C}/rooms/:r/members`, ({ user, params }) => {
      const room = hs.room(params[0]!);
      room.requireJoined(user);
      return { chunk: [...room.state.values()].filter((e) => e.type === "m.room.member").map(({ pos: _p, ...e }) => e) };
    });
    this.route("POST", "/_matrix/media/v3/upload", () => ({ content_uri: `mxc://${hs.serverName}/${Math.random().toString(36).slice(2)}` }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname.split("/").map((s) => decodeURIComponent(s)).join("/");
    const record: RequestRecord = { method: req.method ?? "GET", path, userId: null, status: 200 };
    this.requests.push(record);
    const send = (status: number, body: unknown) => {
      record.status = status;
      if (res.writableEnded) return;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const raw = await readBody(req);
      const auth = req.headers.authorization?.replace(/^Bearer /, "") ?? url.searchParams.get("access_token") ?? "";
      const found = this.match(req.method ?? "GET", url.pathname);
      if (!found) throw new MatrixApiError(404, "M_UNRECOGNIZED", `${req.method} ${path} is not implemented by the fake`);
      const user = this.tokens.get(auth);
      if (!user && !path.endsWith("/versions")) throw new MatrixApiError(401, "M_UNKNOWN_TOKEN", "unknown access token");
      record.userId = user ?? null;
      const limit = this.limits.find((l) => l.remaining > 0 && l.match.test(path));
      if (limit) {
        limit.remaining--;
        throw new MatrixApiError(429, "M_LIMIT_EXCEEDED", "too many requests", { retry_after_ms: limit.retryAfterMs });
      }
      let body: Record<string, unknown> = {};
      if (raw.length > 0 && (req.headers["content-type"] ?? "").includes("json")) body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
      const out = await found.handler({ user: user ?? "", token: auth, body, query: url.searchParams, params: found.params });
      send(200, out ?? {});
    } catch (e) {
      if (e instanceof MatrixApiError) send(e.status, { errcode: e.errcode, error: e.message, ...e.extra });
      else send(500, { errcode: "M_UNKNOWN", error: e instanceof Error ? e.message : String(e) });
    }
  }

  private match(method: string, rawPath: string): { handler: Handler; params: string[] } | undefined {
    // An empty state key is sent as a trailing slash.
    const path = rawPath.length > 1 ? rawPath.replace(/\/$/, "") : rawPath;
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) return { handler: r.handler, params: m.slice(1).map((p) => decodeURIComponent(p)) };
    }
    return undefined;
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
