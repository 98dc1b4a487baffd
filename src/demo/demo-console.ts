import { runConsole } from "../adapters/console/index.js";
import type { ConsoleRooms } from "../adapters/console/index.js";
import type { Dispatcher } from "../commands/invocation.js";
import type { Db } from "../db/client.js";
import { coordinatorsOf } from "../modules/directory/directory.js";
import { DEMO_ROOMS, seedDemo } from "./seed.js";

/** The console on the demo partnership: what `npm start` opens with no platform configured. */
export async function runDemoConsole(o: {
  db: Db;
  dispatcher: Dispatcher;
  rooms: ConsoleRooms;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  interactive: boolean;
  historyFile?: string;
  completions?: string[];
}): Promise<void> {
  const demo = await seedDemo(o.db, "console");
  const coordinatorHandles = (await coordinatorsOf(o.db, demo.partnershipId)).map((m) => m.platformUserId);
  o.rooms.declareRoom(DEMO_ROOMS.partnership, null);
  o.rooms.declareRoom(DEMO_ROOMS.triage, coordinatorHandles);
  await runConsole({
    dispatcher: o.dispatcher,
    port: o.rooms,
    input: o.input,
    output: o.output,
    interactive: o.interactive,
    historyFile: o.historyFile,
    initialUser: "coordinator",
    initialRoom: DEMO_ROOMS.partnership,
    banner: [
      "Roundtable console: Northfield Prevent Partnership (DEMO: made-up people, do not enter real cases)",
      `Members: ${demo.handles.map((h) => "@" + h).join(", ")}. Switch with /as <handle>; rooms with /room <name>; /help for more.`,
    ],
    knownUsers: async () => demo.handles,
    completions: o.completions,
  });
}
