import { Homeserver } from "./homeserver.js";
import type { RoomEvent } from "./room.js";
import { FakeHomeserverHttp } from "./server.js";

/**
 * A fake Matrix homeserver for tests: the bot talks to it over HTTP like to a
 * real one; test users act on the model directly, as their own clients would.
 */
export interface FakeHomeserver {
  hs: Homeserver;
  http: FakeHomeserverHttp;
  url: string;
  /** Register an account and return its access token. */
  register(userId: string): string;
  /** Act as a user. */
  as(userId: string): FakeUser;
  /** Wait until `pred` holds (checked on every change), or fail after `ms`. */
  waitFor<T>(pred: () => T | undefined | false | null, ms?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

export interface FakeUser {
  userId: string;
  /** Open a direct chat with `other` (as Element does: private, is_direct, invited). */
  createDm(other: string): string;
  createRoom(body: Parameters<Homeserver["createRoom"]>[1]): string;
  /** Send a text message; `html` adds a formatted body. */
  say(roomId: string, body: string, html?: string): string;
  join(roomId: string): void;
  leave(roomId: string): void;
  invite(roomId: string, userId: string): void;
  /** Messages from `sender` in a room that this user can see, oldest first. */
  messagesFrom(roomId: string, sender: string): RoomEvent[];
}

export async function startFakeHomeserver(opts: { serverName?: string } = {}): Promise<FakeHomeserver> {
  const hs = new Homeserver(opts.serverName ?? "example.org");
  const http = new FakeHomeserverHttp(hs);
  const url = await http.listen();
  const as = (userId: string): FakeUser => ({
    userId,
    createDm: (other) => hs.createRoom(userId, { preset: "trusted_private_chat", is_direct: true, invite: [other] }),
    createRoom: (body) => hs.createRoom(userId, body),
    say: (roomId, body, html) =>
      hs.send(userId, roomId, "m.room.message", html ? { msgtype: "m.text", body, format: "org.matrix.custom.html", formatted_body: html } : { msgtype: "m.text", body }),
    join: (roomId) => hs.join(userId, roomId),
    leave: (roomId) => hs.leave(userId, roomId),
    invite: (roomId, other) => hs.invite(userId, roomId, other),
    messagesFrom: (roomId, sender) => hs.visibleTimeline(roomId, userId).filter((e) => e.type === "m.room.message" && e.sender === sender),
  });
  return {
    hs,
    http,
    url,
    register: (userId) => http.register(userId),
    as,
    async waitFor(pred, ms = 10_000, what = "condition") {
      const deadline = Date.now() + ms;
      for (;;) {
        const v = pred();
        if (v) return v;
        if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
        await hs.waitForChange(Math.min(200, deadline - Date.now()));
      }
    },
    close: () => http.close(),
  };
}

export { Homeserver, FakeHomeserverHttp };
export type { RoomEvent };
