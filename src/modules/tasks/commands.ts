import { eq } from "drizzle-orm";
import { z } from "zod";
import { dateArg, freeText, optionText, optionalMention, refArg } from "../../commands/arg-types.js";
import { resolveDate } from "../../commands/dates.js";
import { argsOf, defineCommand, type CommandContext, type AnyCommandDef } from "../../commands/define.js";
import { fail, msg, Refusal } from "../../commands/errors.js";
import { doc, fields, heading, list, privately, text, toRoom } from "../../commands/reply.js";
import type { MemberRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import { cases } from "../cases/cases.sql.js";
import { findAgency, findRole, memberFromMention, roleHolder } from "../directory/directory.js";
import { activeParticipation, createTask, heldRoleIds, markDone, openTasks, taskByRef, type TaskQuery } from "./tasks.js";

/** `task <text> @user|role:"…" due:<date>`, `task done T-n`, `task list [mine|overdue]`. */

const taskRefArg = refArg("task", "task.arg.ref");

const assign = defineCommand({
  path: ["task"],
  summary: "task.summary",
  usage: 'task <text> @user|role:"…" due:<date>',
  args: argsOf({
    positional: freeText(2000),
    options: { role: optionText(200).optional(), agency: optionText(200).optional(), due: dateArg },
    mentions: optionalMention,
  }),
  permission: "case-core",
  scope: "optional-case",
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case;
    const caseRef = kase ? formatRef("case", kase.refNo) : null;
    if (kase?.closedAt) fail("core.caseClosed", { ref: caseRef! });
    if ((a.mentions === undefined) === (a.options.role === undefined)) fail("task.oneAssignee");
    if (a.options.agency !== undefined && a.options.role === undefined) fail("task.agencyNeedsRole");
    const due = resolveDate(a.options.due, ctx.today);
    if (due < ctx.today) fail("task.dueInPast", { due, today: ctx.today });

    let assigneeMemberId: number | null = null;
    let assigneeRoleId: number | null = null;
    let recipient: MemberRow | undefined;
    let assigneeLabel: string;
    let roleTitle: string | null = null;
    if (a.mentions !== undefined) {
      recipient = await memberFromMention(db, ctx.partnership.id, ctx.inv.platform, a.mentions);
      if (kase && !(await activeParticipation(db, kase.id, recipient.id, ctx.now))) {
        fail("task.notInCase", { who: recipient.displayName, ref: caseRef! });
      }
      assigneeMemberId = recipient.id;
      assigneeLabel = recipient.displayName;
    } else {
      const agencyId = a.options.agency ? (await findAgency(db, ctx.partnership.id, a.options.agency)).id : undefined;
      const role = await findRole(db, ctx.partnership.id, a.options.role!, agencyId);
      recipient = await roleHolder(db, role.id);
      if (kase && recipient && !(await activeParticipation(db, kase.id, recipient.id, ctx.now))) {
        fail("task.roleHolderNotInCase", { role: role.title, who: recipient.displayName, ref: caseRef! });
      }
      assigneeRoleId = role.id;
      roleTitle = role.title;
      assigneeLabel = t("task.assigneeRole", { role: role.title, holder: recipient?.displayName ?? null });
    }

    const task = await createTask(db, {
      partnershipId: ctx.partnership.id,
      caseId: kase?.id ?? null,
      text: a.positional,
      assigneeMemberId,
      assigneeRoleId,
      dueOn: due,
      createdBy: ctx.member.id,
      createdAt: ctx.now,
    });
    const ref = formatRef("task", task.refNo);
    ctx.audit(ref, { case: caseRef, assignee: assigneeRoleId ? "role" : "member", due });

    if (recipient) {
      // Only the task, its date and the case's pseudonymous ref: a DM is outside the case room.
      const dmRows: Array<[string, string]> = [
        [t("task.field.task"), a.positional],
        [t("task.field.due"), due],
      ];
      if (caseRef) dmRows.push([t("task.field.case"), caseRef]);
      dmRows.push([t("task.field.from"), ctx.member.displayName]);
      const dm = doc(
        "info",
        heading(roleTitle ? t("task.dm.roleHeading", { ref, role: roleTitle }) : t("task.dm.heading", { ref })),
        fields(dmRows),
        text(t("task.dm.howToFinish", { ref })),
      );
      const { platform, platformUserId } = recipient;
      ctx.after(async (deps) => {
        await deps.ports[platform]?.postPrivately(platformUserId, dm);
      });
    }

    const rows: Array<[string, string]> = [
      [t("task.field.task"), a.positional],
      [t("task.field.assignee"), assigneeLabel],
      [t("task.field.due"), due],
    ];
    if (caseRef) rows.push([t("task.field.case"), caseRef]);
    const reply = doc("success", heading(t("task.assigned", { ref })), fields(rows));
    return ctx.inCaseRoom ? toRoom(reply) : privately(reply);
  },
});

/** Whether the actor may close this task: its assignee or role holder, a core participant of its case, or a coordinator. */
async function mayFinish(ctx: CommandContext, task: { assigneeMemberId: number | null; assigneeRoleId: number | null; caseId: number | null }) {
  if (ctx.actor.isCoordinator) return true;
  const me = ctx.member.id;
  if (task.assigneeMemberId === me) return true;
  if (task.assigneeRoleId !== null && (await heldRoleIds(ctx.db, me)).includes(task.assigneeRoleId)) return true;
  if (task.caseId !== null) return (await activeParticipation(ctx.db, task.caseId, me, ctx.now))?.kind === "core";
  return false;
}

const done = defineCommand({
  path: ["task", "done"],
  summary: "task.done.summary",
  usage: "task done T-n",
  args: argsOf({ positional: taskRefArg }),
  permission: "member",
  scope: "none",
  async run(ctx, a) {
    const ref = formatRef("task", a.positional);
    const task = await taskByRef(ctx.db, ctx.partnership.id, a.positional);
    if (!task) fail("task.notFound", { ref });
    if (!(await mayFinish(ctx, task))) throw new Refusal(msg("task.notYours", { ref }));
    if (task.status !== "open") fail("task.notOpen", { ref, status: task.status });
    const closed = await markDone(ctx.db, task.id, ctx.member.id, ctx.now);
    if (!closed) fail("task.notOpen", { ref, status: "done" });
    const [kase] = task.caseId === null ? [] : await ctx.db.select({ refNo: cases.refNo }).from(cases).where(eq(cases.id, task.caseId));
    ctx.audit(ref, { case: kase ? formatRef("case", kase.refNo) : null });
    return privately(doc("success", text(ctx.t("task.markedDone", { ref }))));
  },
});

const listTasks = defineCommand({
  path: ["task", "list"],
  summary: "task.list.summary",
  usage: "task list [mine|overdue]",
  args: argsOf({ positional: z.array(z.enum(["mine", "overdue"])).max(1) }),
  permission: "member",
  scope: "optional-case",
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case;
    const caseRef = kase ? formatRef("case", kase.refNo) : null;
    const filter = a.positional[0] ?? (kase ? "case" : "mine");
    const mine = async () => ({ memberId: ctx.member.id, roleIds: await heldRoleIds(db, ctx.member.id) });

    const q: TaskQuery = { partnershipId: ctx.partnership.id };
    if (kase) q.caseId = kase.id;
    // In scope, the dispatcher has made sure the actor sees the case; elsewhere only cases they take part in.
    else if (!ctx.actor.isCoordinator) q.visibleTo = { memberId: ctx.member.id, now: ctx.now };
    if (filter === "mine") q.assignedTo = await mine();
    if (filter === "overdue") {
      q.dueBefore = ctx.today;
      if (!kase && !ctx.actor.isCoordinator) q.assignedTo = await mine();
    }

    const title =
      filter === "mine"
        ? caseRef ? t("task.list.caseMineTitle", { ref: caseRef }) : t("task.list.mineTitle")
        : filter === "overdue"
          ? caseRef ? t("task.list.caseOverdueTitle", { ref: caseRef }) : t("task.list.overdueTitle")
          : t("task.list.caseTitle", { ref: caseRef! });
    const rows = await openTasks(db, q);
    if (rows.length === 0) return privately(doc("info", heading(title), text(t("task.list.none"))));
    const items = rows.map((r) =>
      t("task.list.item", {
        ref: formatRef("task", r.task.refNo),
        due: r.task.dueOn ?? "—",
        overdue: r.task.dueOn !== null && r.task.dueOn < ctx.today,
        text: r.task.text ?? "—",
        assignee: r.roleTitle ? t("task.assigneeRole", { role: r.roleTitle, holder: r.roleHolderName }) : (r.assigneeName ?? "—"),
        caseRef: r.caseRefNo === null ? null : formatRef("case", r.caseRefNo),
      }),
    );
    return privately(doc("info", heading(title), list(items)));
  },
});

/** The tasks commands. */
 
export const tasksCommands: AnyCommandDef[] = [assign, done, listTasks];
