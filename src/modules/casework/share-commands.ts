import { eq } from "drizzle-orm";
import { z } from "zod";
import { dateArg, freeText, optionText } from "../../commands/arg-types.js";
import { resolveDate, addDays } from "../../commands/dates.js";
import { argsOf, defineCommand, type AnyCommandDef } from "../../commands/define.js";
import { fail, msg, Refusal } from "../../commands/errors.js";
import { doc, heading, list, privately, text } from "../../commands/reply.js";
import { cases } from "../../db/schema.js";
import { postToRoom, sendToMember } from "../../domain/notify.js";
import { formatRef } from "../../domain/refs.js";
import { agencyName, caseRef, caseRoom, requireOpen } from "../cases/cases.js";
import { findAgency, memberById, spocHolders } from "../directory/directory.js";
import { caseNote, refValue } from "./args.js";
import { latestConsent } from "./consent.js";
import { enqueueJob } from "./jobs.js";
import { attemptJobsNow } from "./run-jobs.js";
import { basisAuditCode, basisRecord, chooseBasis, jurisdiction } from "./jurisdictions.js";
import { answerRequest, createInfoRequest, isOverdue, listRequests, requestByRef } from "./share.js";
import { localTime } from "./time.js";

/** `share request`, `share reply`, `share list`: information asked of one agency, and its answer on the record. */

const request = defineCommand({
  path: ["share", "request"],
  summary: "casework.share.request.summary",
  usage: 'share request agency:<name> "<what is asked>" due:<date>',
  args: argsOf({ positional: freeText(1000), options: { agency: optionText(200), due: dateArg } }),
  permission: "case-core",
  scope: "case",
  async run(ctx, a) {
    const { t, db } = ctx;
    const kase = ctx.case!;
    requireOpen(kase);
    const due = resolveDate(a.options.due, ctx.today);
    if (due < ctx.today) fail("casework.share.dueInPast", { due, today: ctx.today });
    const agency = await findAgency(db, ctx.partnership.id, a.options.agency);
    const contacts = await spocHolders(db, [agency.id]);
    if (contacts.length === 0) fail("case.noSpoc", { agencies: agency.name });
    const req = await createInfoRequest(db, {
      partnershipId: ctx.partnership.id,
      caseId: kase.id,
      agencyId: agency.id,
      what: a.positional,
      dueOn: due,
      requestedBy: ctx.member.id,
      at: ctx.now,
    });
    const ref = formatRef("share", req.refNo);
    // The asked agency must hear of it: a job, tried now and retried if their platform is down.
    const notice = await enqueueJob(db, {
      kind: "casework.share-request",
      uniqueKey: `casework.share-request:${req.id}`,
      runAt: ctx.now,
      payload: { requestId: req.id, partnershipId: ctx.partnership.id },
    });
    if (notice !== null) ctx.after((deps) => attemptJobsNow(deps, [notice]).then(() => undefined));
    // If nobody answers by the due date, the asked agency and the requester hear about it the next morning.
    await enqueueJob(db, {
      kind: "casework.share-due",
      uniqueKey: `casework.share-due:${req.id}`,
      runAt: localTime(addDays(due, 1), ctx.partnership.timeZone),
      payload: { requestId: req.id, partnershipId: ctx.partnership.id },
    });
    ctx.audit(ref, { case: caseRef(kase), agency: agency.name, due });
    const consent = await latestConsent(db, kase.id);
    const note = t("casework.share.requested", { ref, agency: agency.name, due, caseRef: caseRef(kase) });
    if (consent?.status === "refused" || consent?.status === "withdrawn") {
      return caseNote(ctx, `${note}\n${t("casework.share.consentWarning", { status: consent.status })}`, "warning");
    }
    return caseNote(ctx, note);
  },
});

const reply = defineCommand({
  path: ["share", "reply"],
  summary: "casework.share.reply.summary",
  usage: 'share reply R-n shared|declined [basis:<code>|"<basis in words>"]',
  args: argsOf({
    positional: z.tuple([refValue("share", "casework.share.badRef"), z.enum(["shared", "declined"], { message: "casework.share.sharedOrDeclined" })], {
      message: "casework.share.replyWords",
    }),
    options: { basis: optionText(500).optional() },
  }),
  permission: "member",
  scope: "none",
  async run(ctx, a) {
    const { t, db } = ctx;
    const [refNo, status] = a.positional;
    const ref = formatRef("share", refNo);
    const req = await requestByRef(db, ctx.partnership.id, refNo, true);
    if (!req) fail("casework.share.notFound", { ref });
    // Only the agency that was asked answers for it (or a coordinator, who chairs the partnership).
    if (!ctx.actor.isCoordinator && ctx.member.agencyId !== req.agencyId) throw new Refusal(msg("casework.share.notYourAgency", { ref }));
    if (req.status !== "open") {
      const by = req.repliedBy ? await memberById(db, req.repliedBy) : undefined;
      fail("casework.share.alreadyAnswered", { ref, status: req.status, by: by?.displayName ?? "—", date: req.repliedAt?.toISOString().slice(0, 10) ?? "—" });
    }
    const profile = jurisdiction(ctx.partnership.jurisdiction);
    if (status === "shared" && !a.options.basis) {
      fail("casework.share.needsBasis", { codes: profile?.bases.map((b) => b.code) ?? [] });
    }
    const choice = a.options.basis ? chooseBasis(ctx.partnership.jurisdiction, a.options.basis) : null;
    if (status === "shared" && choice?.kind === "profile" && choice.basis.consent) {
      const consent = await latestConsent(db, req.caseId);
      if (consent?.status !== "given") fail("casework.share.consentNotGiven", { status: consent?.status ?? "pending" });
    }
    const basis = choice ? basisRecord(choice, ctx.partnership.locale) : null;
    await answerRequest(db, req.id, { status, repliedBy: ctx.member.id, legalBasis: basis, at: ctx.now });
    const [kase] = await db.select().from(cases).where(eq(cases.id, req.caseId));
    const agency = await agencyName(db, req.agencyId);
    ctx.audit(ref, { case: caseRef(kase!), status, basis: choice ? basisAuditCode(choice) : null });
    const note = t("casework.share.answered", {
      ref,
      caseRef: caseRef(kase!),
      status,
      by: ctx.member.displayName,
      agency,
      basis,
    });
    const room = await caseRoom(db, req.caseId);
    if (room) ctx.after((deps) => postToRoom(deps, { platform: room.platform, roomId: room.platformRoomId }, doc("info", text(note))));
    const requester = await memberById(db, req.requestedBy);
    if (requester && requester.id !== ctx.member.id) ctx.after((deps) => sendToMember(deps, requester, doc("info", text(note))));
    return privately(doc("success", text(note)));
  },
});

const listShares = defineCommand({
  path: ["share", "list"],
  summary: "casework.share.list.summary",
  usage: "share list [case:CASE-n]",
  args: argsOf({}),
  permission: "member",
  scope: "optional-case",
  async run(ctx) {
    const { t, db } = ctx;
    const kase = ctx.case;
    // In a case: all its requests. Elsewhere: what is waiting on the actor's agency (coordinators: everything open).
    const rows = kase
      ? await listRequests(db, { caseId: kase.id })
      : await listRequests(db, {
          partnershipId: ctx.partnership.id,
          openOnly: true,
          agencyIds: ctx.actor.isCoordinator ? undefined : ctx.member.agencyId === null ? [] : [ctx.member.agencyId],
        });
    const title = kase ? t("casework.share.list.caseTitle", { ref: caseRef(kase) }) : t("casework.share.list.openTitle");
    if (rows.length === 0) return privately(doc("info", heading(title), text(t("casework.share.list.none"))));
    const items = rows.map((r) =>
      t("casework.share.list.item", {
        ref: formatRef("share", r.request.refNo),
        caseRef: kase ? null : formatRef("case", r.caseRefNo),
        agency: r.agencyName,
        what: r.request.what ?? "—",
        due: r.request.dueOn,
        status: r.request.status,
        overdue: isOverdue(r.request, ctx.today),
        basis: r.request.legalBasis,
      }),
    );
    return privately(doc("info", heading(title), list(items)));
  },
});

export const shareCommands: AnyCommandDef[] = [request, reply, listShares];
