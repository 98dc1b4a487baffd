/** The console adapter: `npm start` with no chat platform configured. */
export { runConsole } from "./run.js";
export type { ConsoleOptions } from "./session.js";
export { ConsoleRooms, type ConsoleRoom, type ConsoleMessage } from "./rooms.js";
export { renderText } from "./render.js";
export { useColor } from "./ansi.js";
