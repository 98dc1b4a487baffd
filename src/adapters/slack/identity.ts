import type { Db } from "../../db/client.js";
import type { Logger } from "../../log.js";
import { membersByIdentity } from "../../modules/directory/directory.js";
import type { SlackApi } from "./api.js";
import { memberId } from "./text.js";

/** How long a user's home team, as users.info gave it, is remembered. */
const TEAM_TTL_MS = 10 * 60_000;

/**
 * Slack user → directory member id (`T…:U…`). A user is first looked up in the
 * team the request came from; someone from another organisation in a Slack
 * Connect channel is not in that team, so users.info tells their home team and
 * they map by that team + user id. Nobody is matched by name.
 */
export class SlackIdentity {
  private readonly homeTeams = new Map<string, { team: string; at: number }>();

  constructor(private readonly o: { db: Db; api: SlackApi; logger: Logger }) {}

  /** The member id of `userId`, seen in workspace `teamHint`. */
  async resolve(userId: string, teamHint: string): Promise<string> {
    const local = memberId(teamHint, userId);
    if ((await membersByIdentity(this.o.db, "slack", local)).length > 0) return local;
    const home = await this.homeTeam(userId);
    return home && home !== teamHint ? memberId(home, userId) : local;
  }

  private async homeTeam(userId: string): Promise<string | undefined> {
    const cached = this.homeTeams.get(userId);
    if (cached && Date.now() - cached.at < TEAM_TTL_MS) return cached.team;
    try {
      const r = await this.o.api.call<{ user?: { team_id?: string } }>("users.info", { user: userId });
      const team = r.user?.team_id;
      if (team) this.homeTeams.set(userId, { team, at: Date.now() });
      return team;
    } catch (e) {
      // Not finding out is not fatal: the user is then refused as unknown, politely.
      this.o.logger.warn({ err: e }, "slack: users.info failed");
      return undefined;
    }
  }
}
