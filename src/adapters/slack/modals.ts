import type { z } from "zod";
import type { Prompt } from "../../commands/conversation.js";
import type { ParsedArgs } from "../../commands/define.js";
import { isMessageKey, type MessageKey, type Translator } from "../../i18n/catalogue.js";
import { AGE_BANDS } from "../../modules/concerns/commands.js";
import { URGENCIES } from "../../db/enums.js";
import { isIsoDate } from "../../commands/dates.js";
import type { SlackBlock } from "./blocks.js";
import { escapeText, truncate } from "./text.js";

/**
 * Forms (modals) in place of the core's step-by-step questions: the concern
 * form, and a generic form for the fields a command line left out. Each input's
 * block id is the field's name in the command (`text` for the free text, else
 * the option key), so a validation issue maps straight back onto its field.
 */

export const CONCERN_VIEW = "rt-concern";
export const PROMPTS_VIEW = "rt-prompts";
const VALUE = "v";

/** What a form carries from opening to submission (Slack's private_metadata, at most 3000 characters). */
export interface FormContext {
  /** The channel the form was opened from; null from a DM or the App Home. */
  channel: string | null;
  /** Team the actor was seen in, for mapping mentions. */
  team: string;
  locale: string;
  /** The partnership's time zone, to check dates before the form closes. */
  tz: string;
  /** The command line the form completes (prompts form). */
  line?: string;
  /** The fields the form asks for (prompts form). */
  fields?: string[];
}

export type View = { type: "modal"; callback_id?: string; private_metadata?: string } & Record<string, unknown>;

const plain = (text: string) => ({ type: "plain_text", text, emoji: true });
const option = (value: string, label: string) => ({ text: plain(truncate(label, 75)), value });

function input(field: string, label: string, element: Record<string, unknown>, optional: boolean, hint?: string): SlackBlock {
  return {
    type: "input",
    block_id: field,
    label: plain(truncate(label, 2000)),
    optional,
    element: { ...element, action_id: VALUE },
    ...(hint ? { hint: plain(truncate(hint, 2000)) } : {}),
  };
}

function modal(t: Translator, callbackId: string, title: string, blocks: SlackBlock[], ctx: FormContext): View {
  return {
    type: "modal",
    callback_id: callbackId,
    title: plain(truncate(title, 24)),
    submit: plain(truncate(t("slack.modal.submit"), 24)),
    close: plain(truncate(t("slack.modal.cancel"), 24)),
    private_metadata: JSON.stringify(ctx),
    blocks,
  };
}

/** The concern form: the fields of `/concern`, with pickers where Slack has them; `initial` prefills what the command line gave. */
export function concernModal(t: Translator, ctx: FormContext, initial: Record<string, string> = {}): View {
  const yesNo = [option("yes", t("slack.yes")), option("no", t("slack.no"))];
  const field = (name: string, label: string, element: Record<string, unknown>, optional: boolean, hint?: string) =>
    input(name, label, prefilled(element, initial[name]), optional, hint);
  return modal(t, CONCERN_VIEW, t("slack.concern.title"), [
    { type: "context", elements: [{ type: "mrkdwn", text: escapeText(t("slack.concern.intro")) }] },
    field("text", t("slack.concern.summary"), { type: "plain_text_input", multiline: true, max_length: 3000 }, false, t("slack.concern.summaryHint")),
    field("urgency", t("slack.concern.urgency"), {
      type: "static_select",
      options: URGENCIES.map((u) => option(u, t(`slack.concern.urgency.${u}`))),
      initial_option: option("low", t("slack.concern.urgency.low")),
    }, false),
    field("name", t("slack.concern.name"), { type: "plain_text_input", max_length: 200 }, true),
    field("dob", t("slack.concern.dob"), { type: "datepicker" }, true),
    field("age", t("slack.concern.age"), { type: "static_select", options: AGE_BANDS.map((a) => option(a, a)) }, true),
    field("categories", t("slack.concern.categories"), { type: "plain_text_input", max_length: 500 }, true, t("slack.concern.categoriesHint")),
    field("safe", t("slack.concern.safe"), { type: "radio_buttons", options: yesNo }, true),
    field("consent", t("slack.concern.consent"), {
      type: "static_select",
      options: (["given", "refused", "not-asked"] as const).map((c) => option(c, t(`slack.concern.consent.${c}`))),
    }, true),
  ], ctx);
}

/** An input element showing `value` already, where the value fits the element. */
function prefilled(element: Record<string, unknown>, value: string | undefined): Record<string, unknown> {
  if (value === undefined) return element;
  switch (element["type"]) {
    case "plain_text_input":
      return { ...element, initial_value: value.slice(0, Number(element["max_length"] ?? 3000)) };
    case "datepicker":
      return isIsoDate(value) ? { ...element, initial_date: value } : element;
    default: {
      const hit = (element["options"] as Array<{ value: string }> | undefined)?.find((o) => o.value === value);
      return hit ? { ...element, initial_option: hit } : element;
    }
  }
}

/** A form for the fields a command line left out, asked with the command's own questions. */
export function promptsModal(t: Translator, command: string, prompts: Prompt[], ctx: FormContext): View {
  const blocks: SlackBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: truncate(escapeText(t("slack.modal.completeIntro", { command })), 3000) } },
    ...prompts.map((p) => input(p.field, t(p.question), { type: "plain_text_input", multiline: p.field === "text" || p.required, max_length: 3000 }, !p.required)),
  ];
  return modal(t, PROMPTS_VIEW, t("slack.modal.completeTitle"), blocks, { ...ctx, fields: prompts.map((p) => p.field) });
}

/** How the concern form names its fields in error messages. */
export function concernLabels(t: Translator): Record<string, string> {
  return {
    text: t("arg.text"),
    name: t("slack.concern.name"),
    dob: t("slack.concern.dob"),
    urgency: t("slack.concern.urgency"),
    age: t("slack.concern.age"),
    categories: t("slack.concern.categories"),
    safe: t("slack.concern.safe"),
    consent: t("slack.concern.consent"),
  };
}

/** The view that replaces the concern form at once when the risk is immediate. */
export function emergencyView(t: Translator): View {
  return {
    type: "modal",
    title: plain(truncate(t("slack.concern.title"), 24)),
    close: plain(truncate(t("slack.modal.cancel"), 24)),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:rotating_light: *${escapeText(t("concern.emergency"))}*` } },
      { type: "context", elements: [{ type: "mrkdwn", text: escapeText(t("slack.concern.recording")) }] },
    ],
  };
}

type StateValue = { type?: string; value?: string | null; selected_date?: string | null; selected_option?: { value?: string } | null };
export type ViewState = Record<string, Record<string, StateValue>>;

/** The values a submitted form holds, by field, trimmed; empty ones left out. */
export function formValues(state: ViewState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, actions] of Object.entries(state)) {
    const v = actions[VALUE];
    const raw = v?.value ?? v?.selected_date ?? v?.selected_option?.value ?? "";
    if (raw.trim() !== "") out[field] = raw.trim();
  }
  return out;
}

/** Put form values into a command's arguments: `text` is the free text, anything else an option. */
export function withValues(base: ParsedArgs, values: Record<string, string>): ParsedArgs {
  const out: ParsedArgs = { positional: [...base.positional], options: { ...base.options }, mentions: [...base.mentions] };
  for (const [field, value] of Object.entries(values)) {
    if (field === "text") out.positional = [value];
    else out.options[field] = value;
  }
  return out;
}

export function readContext(metadata: string | undefined): FormContext | null {
  try {
    const c = JSON.parse(metadata ?? "") as FormContext;
    return typeof c.team === "string" && typeof c.locale === "string" ? c : null;
  } catch {
    return null;
  }
}

/**
 * Validation issues as Slack's `response_action: "errors"`, for the issues on
 * fields the form shows; `rest` tells whether any issue is elsewhere (then the
 * core reports it when the command runs).
 */
export function fieldErrors(
  t: Translator,
  error: z.ZodError,
  fields: readonly string[],
  labels: Record<string, string> = {},
): { errors: Record<string, string>; rest: boolean } {
  const errors: Record<string, string> = {};
  let rest = false;
  for (const issue of error.issues) {
    const [part, key] = issue.path;
    const field = part === "positional" ? "text" : part === "options" && typeof key === "string" ? key : null;
    if (field === null || !fields.includes(field)) {
      rest = true;
      continue;
    }
    const subject = labels[field] ?? (field === "text" ? t("arg.text") : `\`${field}:\``);
    errors[field] ??= truncate(`${subject} ${issueText(t, issue)}`, 2000);
  }
  return { errors, rest };
}

function issueText(t: Translator, issue: z.core.$ZodIssue): string {
  const m = issue.message;
  if (isMessageKey(m)) return (t as unknown as (k: MessageKey) => string)(m as MessageKey);
  if (issue.code === "invalid_value") return t("arg.oneOf", { values: issue.values.map(String) });
  if (issue.code === "invalid_type" && issue.input === undefined) return t("arg.missing");
  return m;
}
