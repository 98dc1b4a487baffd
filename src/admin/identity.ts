import type { Platform } from "../ports/rooms.js";
import { AdminError } from "./context.js";

/**
 * Platform identities as an operator writes them: `slack:T0123:U0123`,
 * `matrix:@ana:example.org`, `console:ana` for people; `slack:C0123`,
 * `matrix:!room:example.org`, `console:triage` for rooms.
 */

const USER: Record<Platform, { re: RegExp; example: string }> = {
  slack: { re: /^T[A-Z0-9]+:[UW][A-Z0-9]+$/, example: "slack:T0123ABCD:U0123ABCD (team id : user id)" },
  matrix: { re: /^@[^:\s]+:[^\s]+$/, example: "matrix:@ana:example.org" },
  console: { re: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, example: "console:ana" },
};

const ROOM: Record<Platform, { re: RegExp; example: string }> = {
  slack: { re: /^[CG][A-Z0-9]+$/, example: "slack:C0123ABCD (a channel id)" },
  matrix: { re: /^![^:\s]+:[^\s]+$/, example: "matrix:!abcdef:example.org (a room id, not an alias)" },
  console: { re: /^[A-Za-z0-9][A-Za-z0-9._-]*$/, example: "console:triage" },
};

function split(s: string, what: string, table: Record<Platform, { re: RegExp; example: string }>): { platform: Platform; id: string } {
  const i = s.indexOf(":");
  const platform = s.slice(0, i) as Platform;
  const id = s.slice(i + 1);
  const all = Object.values(table).map((x) => x.example).join(", ");
  if (i < 0 || !(platform in table)) throw new AdminError(`"${s}" is not a ${what}: write one of ${all}`);
  const spec = table[platform];
  if (!spec.re.test(id)) throw new AdminError(`"${s}" is not a ${platform} ${what}: write it as ${spec.example}`);
  return { platform, id };
}

export const parseUserIdentity = (s: string) => split(s.trim(), "user", USER);
export const parseRoomIdentity = (s: string) => split(s.trim(), "room", ROOM);
