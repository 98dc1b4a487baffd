import { freeText, optionText, refArg } from "../../commands/arg-types.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { fail } from "../../commands/errors.js";
import { doc, fields, heading, list, privately, text, type Block } from "../../commands/reply.js";
import { formatRef } from "../../domain/refs.js";
import { LESSON_STATUSES } from "../../db/enums.js";
import { adoptLesson, lessonByRef, lessonsOf, proposeLesson, verifyLesson } from "./lessons.js";

/** `lesson <text>`, `lesson adopt L-n procedure:"…"`, `lesson verify L-n`, `lesson list`. */

const lessonRefArg = refArg("lesson", "lesson.arg.ref");

const propose = defineCommand({
  path: ["lesson"],
  summary: "lesson.summary",
  usage: 'lesson <text> [source:"…"]',
  args: argsOf({ positional: freeText(2000), options: { source: optionText(200).optional() } }),
  permission: "member",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const l = await proposeLesson(ctx.db, {
      partnershipId: ctx.partnership.id,
      text: a.positional,
      source: a.options.source ?? null,
      createdBy: ctx.member.id,
      createdAt: ctx.now,
    });
    const ref = formatRef("lesson", l.refNo);
    ctx.audit(ref);
    const rows: Array<[string, string]> = [[t("lesson.field.lesson"), l.text]];
    if (l.source) rows.push([t("lesson.field.source"), l.source]);
    return privately(doc("success", heading(t("lesson.proposed", { ref })), fields(rows)));
  },
});

const adopt = defineCommand({
  path: ["lesson", "adopt"],
  summary: "lesson.adopt.summary",
  usage: 'lesson adopt L-n procedure:"…"',
  args: argsOf({ positional: lessonRefArg, options: { procedure: optionText(2000) } }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const ref = formatRef("lesson", a.positional);
    const l = await lessonByRef(ctx.db, ctx.partnership.id, a.positional);
    if (!l) fail("lesson.notFound", { ref });
    const adopted = await adoptLesson(ctx.db, l.id, a.options.procedure, ctx.member.id, ctx.now);
    if (!adopted) fail("lesson.notProposed", { ref, status: l.status });
    ctx.audit(ref);
    return privately(
      doc(
        "success",
        heading(ctx.t("lesson.adopted", { ref })),
        fields([
          [ctx.t("lesson.field.lesson"), adopted.text],
          [ctx.t("lesson.field.procedure"), a.options.procedure],
        ]),
      ),
    );
  },
});

const verify = defineCommand({
  path: ["lesson", "verify"],
  summary: "lesson.verify.summary",
  usage: "lesson verify L-n",
  args: argsOf({ positional: lessonRefArg }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const ref = formatRef("lesson", a.positional);
    const l = await lessonByRef(ctx.db, ctx.partnership.id, a.positional);
    if (!l) fail("lesson.notFound", { ref });
    const verified = await verifyLesson(ctx.db, l.id);
    if (!verified) fail("lesson.notAdopted", { ref, status: l.status });
    ctx.audit(ref);
    return privately(doc("success", text(ctx.t("lesson.verified", { ref }))));
  },
});

const STATUS_HEADINGS = { proposed: "lesson.status.proposed", adopted: "lesson.status.adopted", verified: "lesson.status.verified" } as const;

const listLessons = defineCommand({
  path: ["lesson", "list"],
  summary: "lesson.list.summary",
  usage: "lesson list",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    const all = await lessonsOf(ctx.db, ctx.partnership.id);
    if (all.length === 0) return privately(doc("info", heading(t("lesson.list.title")), text(t("lesson.list.none"))));
    const blocks: Block[] = [heading(t("lesson.list.title"))];
    for (const status of LESSON_STATUSES) {
      const these = all.filter((l) => l.status === status);
      if (these.length === 0) continue;
      blocks.push(
        text(t(STATUS_HEADINGS[status])),
        list(these.map((l) => t("lesson.list.item", { ref: formatRef("lesson", l.refNo), text: l.text, source: l.source, procedure: l.followUp }))),
      );
    }
    return privately(doc("info", ...blocks));
  },
});

/** The lessons commands. */
 
export const lessonsCommands: AnyCommandDef[] = [propose, adopt, verify, listLessons];
