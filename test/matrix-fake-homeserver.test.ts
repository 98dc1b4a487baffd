import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeHomeserver, type FakeHomeserver } from "./support/fake-homeserver/index.js";

/** The fake homeserver keeps the client-server API's rules, so tests against it mean something. */

let fake: FakeHomeserver;
const ana = "@ana:example.org";
const ben = "@ben:partner.org";
const tokens: Record<string, string> = {};

async function api(user: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}/_matrix/client/v3${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens[user]}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const enc = encodeURIComponent;

beforeAll(async () => {
  fake = await startFakeHomeserver();
  for (const u of [ana, ben, "@eve:evil.example"]) tokens[u] = fake.register(u);
});

afterAll(async () => {
  await fake.close();
});

describe("the fake homeserver", () => {
  it("creates rooms from a preset with initial state overriding it, and keeps private rooms out of the directory", async () => {
    const { json } = await api(ana, "POST", "/createRoom", {
      preset: "private_chat",
      name: "r",
      initial_state: [{ type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } }],
    });
    const room = fake.hs.room(String(json["room_id"]));
    expect(room.stateContent("m.room.join_rules")).toEqual({ join_rule: "invite" });
    expect(room.stateContent("m.room.history_visibility")).toEqual({ history_visibility: "invited" });
    expect(fake.hs.directory.has(room.id)).toBe(false);
    const listed = await api(ana, "GET", "/publicRooms");
    expect(listed.json["chunk"]).toEqual([]);
  });

  it("applies membership rules: no joining uninvited, invites by power level, kicks only of lower levels, ACLs", async () => {
    const roomId = String((await api(ana, "POST", "/createRoom", { preset: "private_chat", power_level_content_override: { invite: 50 } })).json["room_id"]);
    expect((await api(ben, "POST", `/rooms/${enc(roomId)}/join`, {})).status).toBe(403);
    expect((await api(ana, "POST", `/rooms/${enc(roomId)}/invite`, { user_id: ben })).status).toBe(200);
    expect((await api(ben, "POST", `/join/${enc(roomId)}`, {})).status).toBe(200);
    expect((await api(ben, "POST", `/rooms/${enc(roomId)}/invite`, { user_id: "@eve:evil.example" })).json["errcode"]).toBe("M_FORBIDDEN");
    expect((await api(ben, "POST", `/rooms/${enc(roomId)}/kick`, { user_id: ana })).status).toBe(403);
    expect((await api(ana, "PUT", `/rooms/${enc(roomId)}/state/m.room.server_acl/`, { allow: ["example.org", "partner.org"], deny: [] })).status).toBe(200);
    expect((await api(ana, "POST", `/rooms/${enc(roomId)}/invite`, { user_id: "@eve:evil.example" })).json["error"]).toMatch(/ACL/);
    expect((await api(ana, "POST", `/rooms/${enc(roomId)}/kick`, { user_id: ben })).status).toBe(200);
    expect(fake.hs.room(roomId).membership(ben)).toBe("leave");
  });

  it("enforces power levels on state, and on changing power levels", async () => {
    const roomId = String((await api(ana, "POST", "/createRoom", { preset: "private_chat", invite: [ben] })).json["room_id"]);
    await api(ben, "POST", `/join/${enc(roomId)}`, {});
    expect((await api(ben, "PUT", `/rooms/${enc(roomId)}/state/m.room.join_rules/`, { join_rule: "public" })).status).toBe(403);
    const pl = fake.hs.room(roomId).powerLevels;
    expect((await api(ben, "PUT", `/rooms/${enc(roomId)}/state/m.room.power_levels/`, { ...pl, users: { ...pl.users, [ben]: 100 } })).status).toBe(403);
    expect((await api(ana, "PUT", `/rooms/${enc(roomId)}/state/m.room.power_levels/`, { ...pl, users: { ...pl.users, [ben]: 50 } })).status).toBe(200);
    expect(fake.hs.room(roomId).levelOf(ben)).toBe(50);
  });

  it("makes sends idempotent per transaction id", async () => {
    const roomId = String((await api(ana, "POST", "/createRoom", {})).json["room_id"]);
    const a = await api(ana, "PUT", `/rooms/${enc(roomId)}/send/m.room.message/txn1`, { msgtype: "m.text", body: "once" });
    const b = await api(ana, "PUT", `/rooms/${enc(roomId)}/send/m.room.message/txn1`, { msgtype: "m.text", body: "once" });
    expect(a.json["event_id"]).toBe(b.json["event_id"]);
    expect(fake.hs.room(roomId).events.filter((e) => e.content["body"] === "once")).toHaveLength(1);
  });

  it("syncs from a since token, long-polls until something happens, and shows history only from the invitation", async () => {
    const roomId = String((await api(ana, "POST", "/createRoom", { preset: "private_chat", initial_state: [{ type: "m.room.history_visibility", content: { history_visibility: "invited" } }] })).json["room_id"]);
    await api(ana, "PUT", `/rooms/${enc(roomId)}/send/m.room.message/before`, { msgtype: "m.text", body: "before the invitation" });
    await api(ana, "POST", `/rooms/${enc(roomId)}/invite`, { user_id: ben });
    const first = (await api(ben, "GET", "/sync")).json as { next_batch: string; rooms: { invite: Record<string, unknown> } };
    expect(Object.keys(first.rooms.invite)).toContain(roomId);
    await api(ana, "PUT", `/rooms/${enc(roomId)}/send/m.room.message/after`, { msgtype: "m.text", body: "after the invitation" });
    await api(ben, "POST", `/join/${enc(roomId)}`, {});
    const started = Date.now();
    const waiting = api(ben, "GET", `/sync?since=${first.next_batch}&timeout=5000`);
    const next = (await waiting).json as { next_batch: string; rooms: { join: Record<string, { timeline: { events: Array<{ content: { body?: string } }> } }> } };
    const bodies = next.rooms.join[roomId]!.timeline.events.map((e) => e.content.body).filter(Boolean);
    expect(bodies).toEqual(["after the invitation"]);
    const seen = fake.hs.visibleTimeline(roomId, ben).map((e) => e.content["body"]).filter(Boolean);
    expect(seen).toEqual(["after the invitation"]);
    expect(Date.now() - started).toBeLessThan(2_000);
    const poll = api(ben, "GET", `/sync?since=${next.next_batch}&timeout=5000`);
    setTimeout(() => fake.as(ana).say(roomId, "later"), 300);
    const later = (await poll).json as { rooms: { join: Record<string, { timeline: { events: Array<{ content: { body?: string } }> } }> } };
    expect(later.rooms.join[roomId]!.timeline.events.map((e) => e.content.body)).toEqual(["later"]);
    const empty = await api(ben, "GET", `/sync?since=s${fake.hs.pos}&timeout=200`);
    expect(empty.json["rooms"]).toEqual({ join: {}, invite: {}, leave: {} });
  });

  it("answers rate-limited requests with M_LIMIT_EXCEEDED and retry_after_ms", async () => {
    fake.http.rateLimit(/whoami/, 1, 1234);
    expect((await api(ana, "GET", "/account/whoami")).json).toMatchObject({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 1234 });
    expect((await api(ana, "GET", "/account/whoami")).json).toMatchObject({ user_id: ana });
  });
});
