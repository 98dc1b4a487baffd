import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixRooms } from "../src/adapters/matrix/index.js";
import { KEY_FIELD, keyMark } from "../src/adapters/matrix/keyed-posts.js";
import { doc, text } from "../src/commands/reply.js";
import { dbKind } from "./support/db.js";
import type { RoomEvent } from "./support/fake-homeserver/index.js";
import { BOT, createMatrixHarness, mxid, type MatrixHarness } from "./support/fake-homeserver/matrix-harness.js";

/**
 * A keyed pinned post (a case's summary) on Matrix is made once even when the
 * homeserver has forgotten the transaction ids of the first attempt: the
 * bot's own pinned message carrying the key's mark is edited in place.
 * Every "again" below comes after the fake has forgotten its transaction ids.
 */

let h: MatrixHarness;
let port: MatrixRooms;
let rooms = 0;
const OFFICER = mxid("officer");

beforeAll(async () => {
  h = await createMatrixHarness();
  h.fake.register(OFFICER);
  port = (await h.startBot()).port;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function caseRoom(): Promise<string> {
  const n = ++rooms;
  return (await port.createPrivateRoom({ name: `case-09${n}`, topic: "t", caseRef: `CASE-9${n}`, moderators: [], key: `1:9${n}` })).roomId;
}

const summary = (line: string) => doc("info", text(`Case summary: ${line}`));
const pinnedIn = (roomId: string) => h.fake.hs.room(roomId).stateContent<{ pinned: string[] }>("m.room.pinned_events")?.pinned ?? [];
const messages = (roomId: string, sender = BOT): RoomEvent[] => h.fake.hs.room(roomId).events.filter((e) => e.type === "m.room.message" && e.sender === sender);
const isEdit = (e: RoomEvent) => (e.content["m.relates_to"] as { rel_type?: string } | undefined)?.rel_type === "m.replace";
const originals = (roomId: string) => messages(roomId).filter((e) => !isEdit(e) && !e.redacted);
const edits = (roomId: string) => messages(roomId).filter(isEdit);

async function postAgain(roomId: string, line: string, key: string): Promise<void> {
  h.fake.hs.forgetTransactions();
  await port.post(roomId, summary(line), { pin: true, idempotencyKey: key });
}

describe(`a keyed pinned post on Matrix, once the homeserver has forgotten its transaction ids (${dbKind} database)`, () => {
  it("posted again unchanged: the same message stays the only one, pinned once, not edited; it carries the key's mark, never the key", async () => {
    const roomId = await caseRoom();
    const key = "case-summary:1:91";
    await port.post(roomId, summary("open"), { pin: true, idempotencyKey: key });
    await postAgain(roomId, "open", key);

    const [post, ...more] = originals(roomId);
    expect(more).toHaveLength(0);
    expect(edits(roomId)).toHaveLength(0);
    expect(pinnedIn(roomId)).toEqual([post!.event_id]);
    expect(post!.content[KEY_FIELD]).toBe(keyMark(key));
    expect(JSON.stringify(post!.content)).not.toContain(key);
  });

  it("posted again changed: the pinned message is edited in place (m.replace, m.new_content), and edited only when what it shows differs", async () => {
    const roomId = await caseRoom();
    const key = "case-summary:1:92";
    await port.post(roomId, summary("first"), { pin: true, idempotencyKey: key });
    const [post] = originals(roomId);
    await postAgain(roomId, "second", key);

    const [edit] = edits(roomId);
    expect(edit?.content["m.relates_to"]).toEqual({ rel_type: "m.replace", event_id: post!.event_id });
    const shown = edit!.content["m.new_content"] as Record<string, unknown>;
    expect(shown["body"]).toBe("Case summary: second");
    expect(shown[KEY_FIELD]).toBe(keyMark(key));
    expect(edit!.content["body"]).toBe("* Case summary: second");
    expect(edit!.content[KEY_FIELD]).toBeUndefined();
    expect(edit!.content["m.mentions"]).toEqual({});

    // It already shows "second" (its latest edit): nothing to send.
    await postAgain(roomId, "second", key);
    expect(edits(roomId)).toHaveLength(1);
    // Back to what the original says: its latest edit says otherwise, so it is edited again.
    await postAgain(roomId, "first", key);
    expect(edits(roomId).map((e) => (e.content["m.new_content"] as { body: string }).body)).toEqual(["Case summary: second", "Case summary: first"]);
    expect(originals(roomId).map((e) => e.event_id)).toEqual([post!.event_id]);
    expect(pinnedIn(roomId)).toEqual([post!.event_id]);
  });

  it("a pinned post since redacted is not reused: a new one is posted and pinned", async () => {
    const roomId = await caseRoom();
    const key = "case-summary:1:93";
    await port.post(roomId, summary("open"), { pin: true, idempotencyKey: key });
    const [first] = originals(roomId);
    h.fake.hs.redact(BOT, roomId, first!.event_id);
    await postAgain(roomId, "open", key);

    const [second, ...more] = originals(roomId);
    expect(more).toHaveLength(0);
    expect(second!.event_id).not.toBe(first!.event_id);
    expect(pinnedIn(roomId)).toEqual([first!.event_id, second!.event_id]);
    expect(edits(roomId)).toHaveLength(0);
  });

  it("a pinned event the homeserver does not have is passed over", async () => {
    const roomId = await caseRoom();
    const gone = "$gone:example.org";
    h.fake.hs.setState(BOT, roomId, "m.room.pinned_events", "", { pinned: [gone] });
    await postAgain(roomId, "open", "case-summary:1:94");

    const [post] = originals(roomId);
    expect(post!.content[KEY_FIELD]).toBe(keyMark("case-summary:1:94"));
    expect(pinnedIn(roomId)).toEqual([gone, post!.event_id]);
  });

  it("the bot's pinned post for another key is not reused", async () => {
    const roomId = await caseRoom();
    await port.post(roomId, summary("one"), { pin: true, idempotencyKey: "case-summary:1:95" });
    await postAgain(roomId, "two", "case-summary:1:95b");

    const posts = originals(roomId);
    expect(posts.map((e) => e.content[KEY_FIELD])).toEqual([keyMark("case-summary:1:95"), keyMark("case-summary:1:95b")]);
    expect(pinnedIn(roomId)).toEqual(posts.map((e) => e.event_id));
    expect(edits(roomId)).toHaveLength(0);
  });

  it("a message by someone else carrying the mark, pinned or not, is never taken for the bot's post", async () => {
    const roomId = await caseRoom();
    const key = "case-summary:1:96";
    await port.invite(roomId, [OFFICER]);
    h.fake.hs.join(OFFICER, roomId);
    const forged = { msgtype: "m.text", body: "Case summary: forged", [KEY_FIELD]: keyMark(key) };
    const pinned = h.fake.hs.send(OFFICER, roomId, "m.room.message", forged);
    h.fake.hs.send(OFFICER, roomId, "m.room.message", forged);
    h.fake.hs.setState(BOT, roomId, "m.room.pinned_events", "", { pinned: [pinned] });
    await postAgain(roomId, "open", key);

    const [post, ...more] = originals(roomId);
    expect(more).toHaveLength(0);
    expect(post!.content["body"]).toBe("Case summary: open");
    expect(pinnedIn(roomId)).toEqual([pinned, post!.event_id]);
    expect(messages(roomId, OFFICER).map((e) => e.content["body"])).toEqual(["Case summary: forged", "Case summary: forged"]);
    expect(edits(roomId)).toHaveLength(0);
  });

  it("sent but never pinned (a kill in between): found among the bot's latest messages and pinned, not sent again", async () => {
    const roomId = await caseRoom();
    const key = "case-summary:1:97";
    await port.post(roomId, summary("open"), { idempotencyKey: key });
    expect(pinnedIn(roomId)).toEqual([]);
    await postAgain(roomId, "open", key);

    const [post, ...more] = originals(roomId);
    expect(more).toHaveLength(0);
    expect(pinnedIn(roomId)).toEqual([post!.event_id]);
    expect(edits(roomId)).toHaveLength(0);
  });
});

describe("the fake homeserver's event and history endpoints, as the client-server API serves them", () => {
  async function api(path: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${h.fake.url}/_matrix/client/v3${path}`, { headers: { authorization: `Bearer ${h.botToken}` } });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
  const enc = encodeURIComponent;

  it("GET /event: 404 for an unknown event; a redacted one emptied, with its redaction; the latest valid edit bundled", async () => {
    const roomId = await caseRoom();
    await port.invite(roomId, [OFFICER]);
    h.fake.hs.join(OFFICER, roomId);
    expect((await api(`/rooms/${enc(roomId)}/event/${enc("$nope:example.org")}`)).json["errcode"]).toBe("M_NOT_FOUND");

    const original = h.fake.hs.send(BOT, roomId, "m.room.message", { msgtype: "m.notice", body: "v1" });
    const edit = (body: string) => ({ msgtype: "m.notice", body: `* ${body}`, "m.new_content": { msgtype: "m.notice", body }, "m.relates_to": { rel_type: "m.replace", event_id: original } });
    h.fake.hs.send(BOT, roomId, "m.room.message", edit("v2"));
    const latest = h.fake.hs.send(BOT, roomId, "m.room.message", edit("v3"));
    // Not valid edits: by someone else, and one without m.new_content.
    h.fake.hs.send(OFFICER, roomId, "m.room.message", edit("theirs"));
    h.fake.hs.send(BOT, roomId, "m.room.message", { msgtype: "m.notice", body: "*", "m.relates_to": { rel_type: "m.replace", event_id: original } });
    const got = (await api(`/rooms/${enc(roomId)}/event/${enc(original)}`)).json;
    expect(got["content"]).toEqual({ msgtype: "m.notice", body: "v1" });
    const bundled = (got["unsigned"] as { "m.relations": { "m.replace": { event_id: string; content: Record<string, unknown> } } })["m.relations"]["m.replace"];
    expect(bundled.event_id).toBe(latest);
    expect(bundled.content["m.new_content"]).toEqual({ msgtype: "m.notice", body: "v3" });

    const redaction = h.fake.hs.redact(BOT, roomId, original);
    const redacted = (await api(`/rooms/${enc(roomId)}/event/${enc(original)}`)).json;
    expect(redacted["content"]).toEqual({});
    expect(redacted["unsigned"]).toMatchObject({ redacted_because: { event_id: redaction } });
    expect(redacted["unsigned"]).not.toHaveProperty("m.relations");
  });

  it("GET /messages: newest first with dir=b, filtered by sender and type, paged by the end token, which is left out at the start", async () => {
    const roomId = await caseRoom();
    await port.invite(roomId, [OFFICER]);
    h.fake.hs.join(OFFICER, roomId);
    const ours = ["a", "b", "c"].map((body) => h.fake.hs.send(BOT, roomId, "m.room.message", { msgtype: "m.notice", body }));
    h.fake.hs.send(OFFICER, roomId, "m.room.message", { msgtype: "m.text", body: "theirs" });
    const filter = enc(JSON.stringify({ senders: [BOT], types: ["m.room.mess*"] }));
    const ids = (page: Record<string, unknown>) => (page["chunk"] as Array<{ event_id: string }>).map((e) => e.event_id);

    const first = (await api(`/rooms/${enc(roomId)}/messages?dir=b&limit=2&filter=${filter}`)).json;
    expect(ids(first)).toEqual([ours[2], ours[1]]);
    const next = (await api(`/rooms/${enc(roomId)}/messages?dir=b&limit=2&filter=${filter}&from=${enc(String(first["end"]))}`)).json;
    expect(ids(next)).toEqual([ours[0]]);
    expect(next).not.toHaveProperty("end");
    expect((await api(`/rooms/${enc(roomId)}/messages?limit=2`)).json["errcode"]).toBe("M_BAD_JSON");
  });
});
