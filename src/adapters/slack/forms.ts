import type { App } from "@slack/bolt";
import { missingPrompts } from "../../commands/conversation.js";
import { todayIn } from "../../commands/dates.js";
import type { Invocation } from "../../commands/invocation.js";
import { translator } from "../../i18n/catalogue.js";
import type { Parsed } from "./bridge.js";
import { answering, deliver, teamOf, type SlackContext } from "./context.js";
import {
  CONCERN_VIEW,
  concernLabels,
  concernModal,
  emergencyView,
  fieldErrors,
  formValues,
  PROMPTS_VIEW,
  promptsModal,
  readContext,
  withValues,
  type FormContext,
  type ViewState,
} from "./modals.js";

const isConcern = (p: Parsed) => p.def.path.length === 1 && p.def.path[0] === "concern";

/**
 * Open a form instead of running the command, when the command needs one: a
 * concern with no summary, or a command line missing a field the command asks
 * for. Only for someone allowed to run it (anyone else gets the command's own
 * refusal, audited). Returns whether a form was opened.
 */
export async function openFormFor(ctx: SlackContext, inv: Invocation, p: Parsed, where: { trigger: string; team: string }): Promise<boolean> {
  const concernForm = isConcern(p) && p.parsed.positional.length === 0;
  const missing = missingPrompts(p.def, p.parsed);
  if (!concernForm && !missing.some((m) => m.required)) return false;
  const may = await ctx.bridge.mayRun(inv, p);
  if (!may.allowed) return false;
  const t = translator(may.locale);
  const form: FormContext = { channel: inv.roomId, team: where.team, locale: may.locale, tz: may.timeZone };
  const view = concernForm ? concernModal(t, form, p.parsed.options) : promptsModal(t, inv.text, missing, { ...form, line: inv.text });
  // Slack keeps at most 3000 characters of a form's context; a longer line runs as it is and gets the core's error.
  if ((view.private_metadata ?? "").length > 3000) return false;
  try {
    await ctx.api.call("views.open", { trigger_id: where.trigger, view });
    return true;
  } catch (e) {
    ctx.logger.warn({ err: e }, "slack: could not open a form; running the command as written");
    return false;
  }
}

interface Submission {
  user: { id: string; team_id?: string };
  team?: { id?: string } | null;
}

interface SubmittedView {
  private_metadata?: string;
  state: { values: ViewState };
}

/** The handlers for submitted forms: checked with the command's own schema before the form closes, run after. */
export function registerForms(app: App, ctx: SlackContext): void {
  app.view(CONCERN_VIEW, async ({ ack, body, view }) => {
    const form = readContext(view.private_metadata);
    const p = ctx.bridge.parse("concern");
    if (!form || !p) return void (await ack());
    const t = translator(form.locale);
    // The form stays open with what was typed, to be sent again once Roundtable is back.
    if (ctx.bridge.stopping) return void (await ack({ response_action: "errors", errors: { text: t("slack.shuttingDown") } }));
    const values = formValues((view as SubmittedView).state.values);
    const parsed = withValues({ ...p.parsed, options: {} }, values);
    const checked = p.def.args.safeParse(parsed);
    const labels = concernLabels(t);
    const errors = checked.success ? {} : fieldErrors(t, checked.error, Object.keys(labels), labels).errors;
    if (values["dob"] && !errors["dob"] && values["dob"] > todayIn(form.tz, ctx.deps.clock())) errors["dob"] = `${labels["dob"]} ${t("slack.concern.dobFuture")}`;
    if (Object.keys(errors).length > 0) return void (await ack({ response_action: "errors", errors }));
    // Someone at risk right now: the raiser is told what to do before anything else happens.
    if (values["urgency"] === "immediate") await ack({ response_action: "update", view: emergencyView(t) as never });
    else await ack();
    ctx.bridge.later(() => answering(ctx, { user: body.user.id, channel: null }, () => submit(ctx, body as Submission, form, { def: p.def, parsed })));
  });

  app.view(PROMPTS_VIEW, async ({ ack, body, view }) => {
    const form = readContext(view.private_metadata);
    const p = form?.line ? ctx.bridge.parse(form.line) : null;
    if (!form || !p) return void (await ack());
    const first = form.fields?.[0];
    if (ctx.bridge.stopping && first) return void (await ack({ response_action: "errors", errors: { [first]: translator(form.locale)("slack.shuttingDown") } }));
    const parsed = withValues(p.parsed, formValues((view as SubmittedView).state.values));
    const checked = p.def.args.safeParse(parsed);
    if (!checked.success) {
      const { errors } = fieldErrors(translator(form.locale), checked.error, form.fields ?? []);
      if (Object.keys(errors).length > 0) return void (await ack({ response_action: "errors", errors }));
    }
    await ack();
    ctx.bridge.later(() => answering(ctx, { user: body.user.id, channel: null }, () => submit(ctx, body as Submission, form, { def: p.def, parsed })));
  });
}

async function submit(ctx: SlackContext, body: Submission, form: FormContext, p: Parsed): Promise<void> {
  const user = await ctx.identity.resolve(body.user.id, body.user.team_id ?? body.team?.id ?? form.team);
  const inv: Invocation = { platform: "slack", userId: user, roomId: form.channel, text: p.def.path.join(" "), interactive: false };
  const reply = await ctx.bridge.runParsed(inv, p, teamOf(user));
  await deliver(ctx, reply, { user, channel: form.channel });
}
