import { pino } from "pino";
import { countRows } from "./snapshot.js";
import { expect } from "vitest";
import { createRegistry } from "../../src/commands/all.js";
import type { Deps } from "../../src/commands/define.js";
import { createDispatcher } from "../../src/commands/dispatcher.js";
import type { Invocation } from "../../src/commands/invocation.js";
import { plainText, type Reply } from "../../src/commands/reply.js";
import type { Db } from "../../src/db/client.js";
import { DEMO_ROOMS, seedDemo } from "../../src/demo/seed.js";
import { createKeyring } from "../../src/security/crypto.js";
import { RecordingRooms } from "./recording-rooms.js";
import { testDatabase } from "./db.js";

export const TEST_SECRET = "test-secret-test-secret-test-secret-0123456789";

/**
 * The whole core on a fresh database with the demo partnership seeded and a
 * recording RoomPort: `run("officer", "decision …", "room-case-0001")`.
 */
export async function createHarness(opts: { now?: Date } = {}) {
  const database = await testDatabase();
  const db = database.db;
  const rooms = new RecordingRooms("console");
  let now = opts.now ?? new Date("2026-11-30T10:00:00Z"); // a Monday
  const deps: Deps = {
    db,
    keyring: createKeyring(TEST_SECRET),
    logger: pino({ level: "silent" }),
    ports: { console: rooms },
    clock: () => now,
    registry: createRegistry(),
  };
  const dispatcher = createDispatcher(db, deps, deps.registry);
  const demo = await seedDemo(db, "console");

  const inv = (userId: string, text: string, roomId: string | null, interactive = false): Invocation => ({
    platform: "console",
    userId,
    roomId,
    text,
    interactive,
  });

  return {
    db,
    deps,
    rooms,
    dispatcher,
    demo,
    ROOMS: DEMO_ROOMS,
    setNow: (d: Date) => {
      now = d;
    },
    /** Run a command as `userId` in `roomId` (default: the partnership room); returns the reply and its plain text. */
    async run(userId: string, text: string, roomId: string | null = DEMO_ROOMS.partnership): Promise<Reply & { text: string }> {
      const r = await dispatcher.dispatch(inv(userId, text, roomId));
      return { ...r, text: plainText(r.doc) };
    },
    /** Run interactively (the user may be asked for missing fields). */
    async ask(userId: string, text: string, roomId: string | null = null): Promise<Reply & { text: string }> {
      const r = await dispatcher.dispatch(inv(userId, text, roomId, true));
      return { ...r, text: plainText(r.doc) };
    },
    /** A plain (non-command) message, e.g. an answer in a conversation. */
    async say(userId: string, text: string, roomId: string | null = null): Promise<(Reply & { text: string }) | null> {
      const r = await dispatcher.converse(inv(userId, text, roomId, true));
      return r ? { ...r, text: plainText(r.doc) } : null;
    },
    /** Row counts of every table but the bookkeeping ones: to prove a refused command changed nothing. */
    snapshot: (db2: Db = db) => countRows(db2),
    /** Run a command that must be refused: a private error reply, and no table changed but the audit log. */
    async refused(userId: string, text: string, roomId: string | null = DEMO_ROOMS.partnership): Promise<Reply & { text: string }> {
      const before = await this.snapshot();
      const r = await this.run(userId, text, roomId);
      expect(r.visibility, text).toBe("private");
      expect(r.doc.tone, text).toBe("error");
      expect(await this.snapshot(), `${text} changed data`).toEqual(before);
      return r;
    },
    close: () => database.close(),
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
