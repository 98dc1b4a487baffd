import { eq } from "drizzle-orm";
import { z } from "zod";
import { commaList, freeText, optionText } from "../../commands/arg-types.js";
import { isIsoDate } from "../../commands/dates.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { UserError, msg } from "../../commands/errors.js";
import { doc, fields, heading, list, privately, table, text, type Block } from "../../commands/reply.js";
import { URGENCIES } from "../../db/enums.js";
import { agencies, concerns as concernsTable } from "../../db/schema.js";
import { coordinatorAudience, sendToMember, tellCoordinators } from "../../domain/notify.js";
import { formatRef } from "../../domain/refs.js";
import { memberById } from "../directory/directory.js";
import { awaitingScreening, concernByRef, earlierMatches, raiseConcern, raisedBy, screenConcern, SCREENING_OUTCOMES } from "./concerns.js";
import { concernTriageDoc, matchLines } from "./triage-doc.js";

/** `/concern`: raise, list, show, screen. */

export const AGE_BANDS = ["under-10", "10-13", "14-17", "18-24", "25-plus"] as const;

const dob = z
  .string()
  .trim()
  .refine(isIsoDate, { message: "concern.badDob" });

const raise = defineCommand({
  path: ["concern"],
  summary: "concern.summary",
  usage: 'concern <summary> [name:"…" dob:<YYYY-MM-DD> urgency:low|high|immediate age:<band> categories:a,b safe:yes|no consent:given|refused|not-asked]',
  args: argsOf({
    positional: freeText(4000),
    options: {
      name: optionText(200).optional(),
      dob: dob.optional(),
      urgency: z.enum(URGENCIES).default("low"),
      age: z.enum(AGE_BANDS).optional(),
      categories: commaList.optional(),
      safe: z.enum(["yes", "no"]).optional(),
      consent: z.enum(["given", "refused", "not-asked"]).optional(),
    },
  }),
  permission: "member",
  scope: "none",
  prompts: [
    { field: "text", question: "concern.q.summary", required: true },
    { field: "name", question: "concern.q.name", required: false },
    { field: "dob", question: "concern.q.dob", required: false },
    { field: "urgency", question: "concern.q.urgency", required: false, notice: (a) => (a.trim().toLowerCase() === "immediate" ? "concern.emergency" : null) },
  ],
  async run(ctx, a) {
    const { t } = ctx;
    if (a.options.dob && a.options.dob > ctx.today) throw new UserError(msg("concern.badDob"));
    const { concern, matches } = await raiseConcern(ctx.db, ctx.deps.keyring, {
      partnershipId: ctx.partnership.id,
      raisedBy: ctx.member.id,
      agencyId: ctx.member.agencyId,
      summary: a.positional,
      subject: { name: a.options.name, dob: a.options.dob },
      urgency: a.options.urgency,
      ageBand: a.options.age,
      categories: a.options.categories,
      safeToContact: a.options.safe === undefined ? undefined : a.options.safe === "yes",
      consentStatus: a.options.consent,
    });
    const ref = formatRef("concern", concern.refNo);
    ctx.audit(ref, { urgency: concern.urgency, matched: matches.refs.length });
    const [agency] = ctx.member.agencyId ? await ctx.db.select().from(agencies).where(eq(agencies.id, ctx.member.agencyId)) : [];
    const audience = await coordinatorAudience(ctx.db, ctx.partnership.id);
    const triage = concernTriageDoc(t, { concern, raiser: ctx.member.displayName, agency: agency?.name ?? null, matches });
    ctx.after((deps) => tellCoordinators(deps, audience, triage, { alsoPrivately: concern.urgency === "immediate" }));

    // The raiser learns nothing about other records: only that it arrived.
    const blocks: Block[] = [];
    if (concern.urgency === "immediate") blocks.push(text(t("concern.emergency")));
    blocks.push(text(t("concern.received", { ref })));
    return privately(doc(concern.urgency === "immediate" ? "warning" : "success", ...blocks));
  },
});

const listConcerns = defineCommand({
  path: ["concern", "list"],
  summary: "concern.list.summary",
  usage: "concern list",
  args: argsOf({}),
  permission: "member",
  scope: "none",
  async run(ctx) {
    const { t } = ctx;
    if (ctx.actor.isCoordinator) {
      const pending = await awaitingScreening(ctx.db, ctx.partnership.id);
      if (pending.length === 0) return privately(doc("info", text(t("concern.list.noneAwaiting"))));
      const rows: string[][] = [];
      for (const c of pending) {
        const m = await earlierMatches(ctx.db, c);
        rows.push([formatRef("concern", c.refNo), c.urgency, c.status, c.ageBand ?? "—", m.refs.length ? m.refs.join(", ") : "—", c.createdAt.toISOString().slice(0, 10)]);
      }
      return privately(doc("info", heading(t("concern.list.awaiting")), table(t("concern.list.columns").split("|"), rows)));
    }
    const mine = await raisedBy(ctx.db, ctx.member.id);
    if (mine.length === 0) return privately(doc("info", text(t("concern.list.noneMine"))));
    return privately(
      doc("info", heading(t("concern.list.mine")), list(mine.map((c) => t("concern.list.mineLine", { ref: formatRef("concern", c.refNo), status: t("concern.status", { status: c.status }) })))),
    );
  },
});

const show = defineCommand({
  path: ["concern", "show"],
  summary: "concern.show.summary",
  usage: "concern show C-n",
  args: argsOf({ positional: z.tuple([z.string()]) }),
  permission: "coordinator",
  scope: "none",
  async run(ctx, a) {
    const { t } = ctx;
    const c = await concernByRef(ctx.db, ctx.partnership.id, a.positional[0]);
    const ref = formatRef("concern", c.refNo);
    ctx.audit(ref, { viewed: true });
    if (c.status === "new") {
      // A coordinator reading it is the start of screening.
      await ctx.db.update(concernsTable).set({ status: "screening" }).where(eq(concernsTable.id, c.id));
    }
    const raiser = await memberById(ctx.db, c.raisedBy);
    const m = await earlierMatches(ctx.db, c);
    const summary = c.summaryEnc ? ctx.deps.keyring.decrypt(c.summaryEnc) : t("concern.purged");
    const blocks: Block[] = [
      heading(t("concern.show.title", { ref })),
      fields([
        [t("concern.f.raisedBy"), raiser?.displayName ?? "—"],
        [t("concern.f.urgency"), c.urgency],
        [t("concern.f.status"), t("concern.status", { status: c.status === "new" ? "screening" : c.status })],
        [t("concern.f.age"), c.ageBand ?? "—"],
        [t("concern.f.categories"), c.categories.join(", ") || "—"],
        [t("concern.f.safe"), c.safeToContact === null ? "—" : c.safeToContact ? t("rt.yes") : t("rt.no")],
        [t("concern.f.consent"), c.consentStatus ?? "—"],
      ]),
      text(summary),
      ...matchLines(t, m),
    ];
    return privately(doc(c.urgency === "immediate" ? "warning" : "info", ...blocks));
  },
});

const screen = defineCommand({
  path: ["concern", "screen"],
  summary: "concern.screen.summary",
  usage: `concern screen C-n ${SCREENING_OUTCOMES.join("|")} because:"…"`,
  args: argsOf({
    positional: z.tuple([z.string(), z.enum(SCREENING_OUTCOMES, { message: "concern.screen.outcomes" })]),
    options: { because: optionText(2000) },
  }),
  permission: "coordinator",
  scope: "none",
  prompts: [{ field: "because", question: "concern.q.because", required: true }],
  async run(ctx, a) {
    const { t } = ctx;
    const [refText, outcome] = a.positional;
    const c = await concernByRef(ctx.db, ctx.partnership.id, refText);
    await screenConcern(ctx.db, ctx.deps.keyring, c, { outcome, rationale: a.options.because, by: ctx.member.id, at: ctx.now });
    const ref = formatRef("concern", c.refNo);
    ctx.audit(ref, { outcome });
    const raiser = await memberById(ctx.db, c.raisedBy);
    const audience = await coordinatorAudience(ctx.db, ctx.partnership.id);
    const outcomeText = t("concern.status", { status: outcome });
    // Information flows back to the raiser: the outcome, never the details or the rationale.
    if (raiser) ctx.after((deps) => sendToMember(deps, raiser, doc("info", text(t("concern.outcomeForRaiser", { ref, outcome: outcomeText })))));
    ctx.after((deps) => tellCoordinators(deps, audience, doc("info", text(t("concern.screenedNote", { ref, outcome: outcomeText, by: ctx.member.displayName })))));
    return privately(doc("success", text(t("concern.screened", { ref, outcome: outcomeText }))));
  },
});

export const concernsCommands: AnyCommandDef[] = [raise, listConcerns, show, screen];
