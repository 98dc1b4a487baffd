/**
 * Block Kit's documented limits, checked the way Slack checks them: a message
 * or view that breaks one is refused (invalid_blocks / invalid_arguments).
 */

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

function textObj(x: unknown, where: string, max: number, problems: string[], plainOnly = false): void {
  if (!isObj(x)) return void problems.push(`${where}: missing text object`);
  if (x["type"] !== "plain_text" && (plainOnly || x["type"] !== "mrkdwn")) problems.push(`${where}: text type must be ${plainOnly ? "plain_text" : "plain_text or mrkdwn"}`);
  const t = x["text"];
  if (typeof t !== "string" || t.length === 0) problems.push(`${where}: text must be a non-empty string`);
  else if (t.length > max) problems.push(`${where}: text longer than ${max} (${t.length})`);
}

function option(o: unknown, where: string, problems: string[]): string | undefined {
  if (!isObj(o)) return void problems.push(`${where}: option must be an object`);
  textObj(o["text"], `${where}.text`, 75, problems, true);
  const v = o["value"];
  if (typeof v !== "string" || v.length === 0 || v.length > 150) problems.push(`${where}: option value must be 1-150 characters`);
  return typeof v === "string" ? v : undefined;
}

function element(e: unknown, where: string, ids: Set<string>, problems: string[], inInput: boolean): void {
  if (!isObj(e)) return void problems.push(`${where}: element must be an object`);
  const id = e["action_id"];
  if (id !== undefined) {
    if (typeof id !== "string" || id.length > 255) problems.push(`${where}: action_id must be at most 255 characters`);
    else if (!inInput && ids.has(id)) problems.push(`${where}: duplicate action_id ${id}`);
    else ids.add(id);
  }
  switch (e["type"]) {
    case "button": {
      textObj(e["text"], `${where}.text`, 75, problems, true);
      const v = e["value"];
      if (v !== undefined && (typeof v !== "string" || v.length > 2000)) problems.push(`${where}: button value longer than 2000`);
      if (e["style"] !== undefined && e["style"] !== "primary" && e["style"] !== "danger") problems.push(`${where}: bad style`);
      return;
    }
    case "plain_text_input": {
      const max = e["max_length"];
      if (max !== undefined && (typeof max !== "number" || max < 1 || max > 3000)) problems.push(`${where}: max_length must be 1-3000`);
      return;
    }
    case "datepicker": {
      const d = e["initial_date"];
      if (d !== undefined && !(typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d))) problems.push(`${where}: initial_date must be YYYY-MM-DD`);
      return;
    }
    case "static_select":
    case "radio_buttons": {
      const opts = e["options"];
      if (!Array.isArray(opts) || opts.length === 0 || opts.length > (e["type"] === "radio_buttons" ? 10 : 100)) return void problems.push(`${where}: bad options`);
      const values = opts.map((o, i) => option(o, `${where}.options[${i}]`, problems));
      const initial = e["initial_option"];
      if (initial !== undefined && !values.includes((initial as Obj)["value"] as string)) problems.push(`${where}: initial_option is not one of the options`);
      return;
    }
    default:
      problems.push(`${where}: unsupported element type ${String(e["type"])}`);
  }
}

/** Problems with a list of blocks; empty when Slack would accept it. */
export function blockProblems(blocks: unknown, maxBlocks: number, surface: "message" | "modal" | "home"): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks must be an array"];
  if (blocks.length > maxBlocks) problems.push(`more than ${maxBlocks} blocks (${blocks.length})`);
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  blocks.forEach((b, i) => {
    const where = `blocks[${i}]`;
    if (!isObj(b)) return void problems.push(`${where}: not an object`);
    const bid = b["block_id"];
    if (bid !== undefined) {
      if (typeof bid !== "string" || bid.length > 255 || blockIds.has(bid)) problems.push(`${where}: block_id missing, too long or repeated`);
      else blockIds.add(bid);
    }
    switch (b["type"]) {
      case "section": {
        if (b["text"] === undefined && b["fields"] === undefined) problems.push(`${where}: section needs text or fields`);
        if (b["text"] !== undefined) textObj(b["text"], `${where}.text`, 3000, problems);
        if (b["fields"] !== undefined) {
          const f = b["fields"];
          if (!Array.isArray(f) || f.length === 0 || f.length > 10) problems.push(`${where}: fields must be 1-10`);
          else f.forEach((x, j) => textObj(x, `${where}.fields[${j}]`, 2000, problems));
        }
        if (b["accessory"] !== undefined) element(b["accessory"], `${where}.accessory`, actionIds, problems, false);
        return;
      }
      case "header":
        return textObj(b["text"], `${where}.text`, 150, problems, true);
      case "divider":
        return;
      case "context": {
        const els = b["elements"];
        if (!Array.isArray(els) || els.length === 0 || els.length > 10) return void problems.push(`${where}: context needs 1-10 elements`);
        return els.forEach((x, j) => textObj(x, `${where}.elements[${j}]`, 3000, problems));
      }
      case "actions": {
        const els = b["elements"];
        if (!Array.isArray(els) || els.length === 0 || els.length > 25) return void problems.push(`${where}: actions needs 1-25 elements`);
        return els.forEach((x, j) => element(x, `${where}.elements[${j}]`, actionIds, problems, false));
      }
      case "input": {
        if (surface !== "modal") problems.push(`${where}: input blocks only in modals`);
        if (typeof bid !== "string") problems.push(`${where}: input needs a block_id (to read its value)`);
        textObj(b["label"], `${where}.label`, 2000, problems, true);
        if (b["hint"] !== undefined) textObj(b["hint"], `${where}.hint`, 2000, problems, true);
        return element(b["element"], `${where}.element`, actionIds, problems, true);
      }
      default:
        problems.push(`${where}: unsupported block type ${String(b["type"])}`);
    }
  });
  return problems;
}

/** Problems with a modal or home view. */
export function viewProblems(view: unknown, kind: "modal" | "home"): string[] {
  if (!isObj(view)) return ["view must be an object"];
  const problems: string[] = [];
  if (view["type"] !== kind) problems.push(`view type must be ${kind}`);
  if (kind === "modal") {
    textObj(view["title"], "title", 24, problems, true);
    if (view["submit"] !== undefined) textObj(view["submit"], "submit", 24, problems, true);
    if (view["close"] !== undefined) textObj(view["close"], "close", 24, problems, true);
    const hasInput = Array.isArray(view["blocks"]) && view["blocks"].some((b) => isObj(b) && b["type"] === "input");
    if (hasInput && view["submit"] === undefined) problems.push("a modal with inputs needs a submit button");
  }
  const meta = view["private_metadata"];
  if (meta !== undefined && (typeof meta !== "string" || meta.length > 3000)) problems.push("private_metadata longer than 3000");
  const cb = view["callback_id"];
  if (cb !== undefined && (typeof cb !== "string" || cb.length > 255)) problems.push("callback_id longer than 255");
  return [...problems, ...blockProblems(view["blocks"], 100, kind)];
}
