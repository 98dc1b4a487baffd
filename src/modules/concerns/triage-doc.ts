import type { Block, ReplyDoc } from "../../commands/reply.js";
import { doc, fields, heading, text } from "../../commands/reply.js";
import type { Translator } from "../../i18n/catalogue.js";
import type { ConcernRow } from "../../domain/rows.js";
import { formatRef } from "../../domain/refs.js";
import type { EarlierMatches } from "./concerns.js";

/**
 * What the coordinators see of a new concern in their triage room: pseudonymous
 * (no summary, no name, no date of birth), with the screening actions.
 */
export function concernTriageDoc(
  t: Translator,
  p: { concern: ConcernRow; raiser: string; agency: string | null; matches: EarlierMatches },
): ReplyDoc {
  const c = p.concern;
  const ref = formatRef("concern", c.refNo);
  const urgent = c.urgency !== "low";
  return doc(
    c.urgency === "immediate" ? "error" : urgent ? "warning" : "info",
    heading(t(c.urgency === "immediate" ? "concern.triage.titleImmediate" : "concern.triage.title", { ref })),
    fields([
      [t("concern.f.raisedBy"), p.agency ? `${p.raiser} (${p.agency})` : p.raiser],
      [t("concern.f.urgency"), c.urgency],
      [t("concern.f.age"), c.ageBand ?? "—"],
      [t("concern.f.categories"), c.categories.join(", ") || "—"],
    ]),
    ...matchLines(t, p.matches),
    {
      kind: "actions",
      actions: [
        { label: t("concern.action.show"), command: `concern show ${ref}` },
        { label: t("concern.action.open"), command: `case open ${ref}`, style: "primary" },
        { label: t("concern.action.moreInfo"), command: `concern screen ${ref} more-information` },
        { label: t("concern.action.nfa"), command: `concern screen ${ref} no-further-action` },
        { label: t("concern.action.signpost"), command: `concern screen ${ref} signposted` },
        { label: t("concern.action.escalate"), command: `concern screen ${ref} escalated`, style: "danger" },
      ],
    },
  );
}

/** Earlier concerns about the same person, for coordinators only. */
export function matchLines(t: Translator, m: EarlierMatches): Block[] {
  if (m.refs.length === 0) return [];
  const lines: Block[] = [
    text(t("concern.matches", { count: m.refs.length, refs: m.refs.join(", "), strength: t("concern.strength", { kind: m.strength ?? "name" }) })),
  ];
  if (m.withOpenCase.length) lines.push(text(t("concern.matchesOpenCase", { refs: m.withOpenCase.join(", ") })));
  if (m.closedWithoutAction.length) lines.push(text(t("concern.matchesClosed", { refs: m.closedWithoutAction.join(", ") })));
  return lines;
}
