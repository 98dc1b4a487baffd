import { appendAudit } from "../audit/audit.js";
import { auditExport, auditVerify } from "./audit.js";
import { AdminError, type AdminCommand, type AdminContext } from "./context.js";
import { coordinatorAdd } from "./coordinator.js";
import { exportCase, exportProcessing } from "./export.js";
import { keysRotate, keysStatus } from "./keys.js";
import { partnershipCreate, partnershipList } from "./partnership.js";
import { retentionRun } from "./retention.js";
import { roomBind } from "./room.js";

/** Every admin command, by its two words. */
export const ADMIN_COMMANDS: Record<string, AdminCommand> = {
  "partnership create": partnershipCreate,
  "partnership list": partnershipList,
  "coordinator add": coordinatorAdd,
  "room bind": roomBind,
  "retention run": retentionRun,
  "export case": exportCase,
  "export processing": exportProcessing,
  "audit verify": auditVerify,
  "audit export": auditExport,
  "keys rotate": keysRotate,
  "keys status": keysStatus,
};

export function usage(): string[] {
  return [
    "Usage: npm run admin -- <command>",
    "",
    ...Object.values(ADMIN_COMMANDS).map((c) => `  ${c.usage}\n      ${c.help}`),
    "",
    "The environment is read as the bot reads it (DATABASE_URL or DATA_DIR, ROUNDTABLE_SECRET, ROUNDTABLE_PREVIOUS_SECRETS).",
  ];
}

export const wantsHelp = (argv: string[]) => argv.length === 0 || ["help", "--help", "-h"].includes(argv[0]!);

/**
 * Run one admin command; returns the process exit code. Every command that
 * reaches the database is audited as `admin:<os user>`, refused ones included.
 */
export async function runAdmin(ctx: AdminContext, argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    for (const l of usage()) ctx.out(l);
    return 0;
  }
  const words = `${argv[0] ?? ""} ${argv[1] ?? ""}`.trim().toLowerCase();
  const cmd = ADMIN_COMMANDS[words];
  const action = `admin ${words}`;
  if (!cmd) {
    ctx.err(`Unknown command "${argv.join(" ")}".`);
    for (const l of usage()) ctx.err(l);
    await appendAudit(ctx.db, { chain: 0, actor: ctx.actor, action: "admin", outcome: "refused", detail: { reason: "unknown-command" } });
    return 2;
  }
  try {
    const note = await cmd.run(ctx, argv.slice(2));
    await appendAudit(ctx.db, { chain: note.chain, actor: ctx.actor, action, object: note.object ?? null, outcome: "accepted", detail: note.detail });
    return note.exitCode ?? 0;
  } catch (e) {
    if (e instanceof AdminError) {
      ctx.err(`${e.message}.`.replace(/\.\.$/, "."));
      ctx.err(`Usage: npm run admin -- ${cmd.usage}`);
      await appendAudit(ctx.db, { chain: 0, actor: ctx.actor, action, outcome: "refused", detail: { reason: "invalid" } });
      return 2;
    }
    await appendAudit(ctx.db, { chain: 0, actor: ctx.actor, action, outcome: "failed", detail: { reason: "error" } }).catch(() => {});
    throw e;
  }
}
