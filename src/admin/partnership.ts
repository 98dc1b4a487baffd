import { asc, count, eq } from "drizzle-orm";
import { LEVELS } from "../db/enums.js";
import { coordinators, partnerships } from "../db/schema.js";
import { AdminError, columns, parse, partnershipBySlug, positiveInt, required, type AdminCommand } from "./context.js";

/** `partnership create …` and `partnership list`. */

export const JURISDICTIONS = ["uk", "fr", "nl", "be", "dk"] as const;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function validLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

export const partnershipCreate: AdminCommand = {
  usage:
    "partnership create --name <name> --slug <slug> --tz <time zone> --locale <locale> [--level local|regional|national] [--parent <slug>] " +
    "[--retention-months N] [--concern-retention-months N] [--case-member-cap N] [--jurisdiction uk|fr|nl|be|dk]",
  help: "create a partnership",
  async run(ctx, argv) {
    const { values, positionals } = parse(argv, {
      name: { type: "string" },
      slug: { type: "string" },
      tz: { type: "string" },
      locale: { type: "string" },
      level: { type: "string" },
      parent: { type: "string" },
      "retention-months": { type: "string" },
      "concern-retention-months": { type: "string" },
      "case-member-cap": { type: "string" },
      jurisdiction: { type: "string" },
    });
    if (positionals.length) throw new AdminError(`Unexpected "${positionals.join(" ")}": every value is given as an option`);
    const name = required(values.name, "name");
    const slug = required(values.slug, "slug").toLowerCase();
    const tz = required(values.tz, "tz");
    const locale = required(values.locale, "locale");
    if (!SLUG.test(slug)) throw new AdminError("--slug must be lower-case letters, digits and dashes (e.g. northfield)");
    if (!validTimeZone(tz)) throw new AdminError(`--tz "${tz}" is not a time zone: use an IANA name such as Europe/London`);
    if (!validLocale(locale)) throw new AdminError(`--locale "${locale}" is not a locale: use e.g. en, fr, nl-BE`);
    const level = (values.level ?? "local") as (typeof LEVELS)[number];
    if (!LEVELS.includes(level)) throw new AdminError(`--level must be one of ${LEVELS.join(", ")}`);
    const jurisdiction = (values.jurisdiction ?? "uk").toLowerCase();
    if (!(JURISDICTIONS as readonly string[]).includes(jurisdiction)) throw new AdminError(`--jurisdiction must be one of ${JURISDICTIONS.join(", ")}`);
    const caseMemberCap = positiveInt(values["case-member-cap"], "case-member-cap", 2);
    const retentionMonths = positiveInt(values["retention-months"], "retention-months");
    const concernRetentionMonths = positiveInt(values["concern-retention-months"], "concern-retention-months");
    const parent = values.parent === undefined ? undefined : await partnershipBySlug(ctx.db, values.parent);
    const [taken] = await ctx.db.select({ id: partnerships.id }).from(partnerships).where(eq(partnerships.slug, slug));
    if (taken) throw new AdminError(`A partnership with slug "${slug}" already exists`);

    const [p] = await ctx.db
      .insert(partnerships)
      .values({
        name: name,
        slug,
        timeZone: tz,
        locale,
        level,
        jurisdiction,
        parentId: parent?.id ?? null,
        ...(retentionMonths === undefined ? {} : { retentionMonths }),
        ...(concernRetentionMonths === undefined ? {} : { concernRetentionMonths }),
        ...(caseMemberCap === undefined ? {} : { caseMemberCap }),
      })
      .returning();
    ctx.out(`Created partnership ${p!.slug} ("${p!.name}", ${p!.level}, ${p!.timeZone}, ${p!.locale}, ${p!.jurisdiction}).`);
    ctx.out(
      `Retention: closed cases ${p!.retentionMonths} months, concerns closed without action ${p!.concernRetentionMonths} months; case member cap ${p!.caseMemberCap}.`,
    );
    ctx.out(`Next: npm run admin -- coordinator add --partnership ${p!.slug} slack:T…:U… | matrix:@user:server  and  room bind … --purpose triage`);
    return {
      chain: p!.id,
      object: p!.slug,
      detail: { level, jurisdiction, parent: parent?.slug ?? null, retentionMonths: p!.retentionMonths, concernRetentionMonths: p!.concernRetentionMonths },
    };
  },
};

export const partnershipList: AdminCommand = {
  usage: "partnership list",
  help: "list partnerships",
  async run(ctx, argv) {
    parse(argv, {});
    if (argv.length) throw new AdminError("partnership list takes no arguments");
    const ps = await ctx.db.select().from(partnerships).orderBy(asc(partnerships.slug));
    const chairs = new Map(
      (await ctx.db.select({ id: coordinators.partnershipId, n: count() }).from(coordinators).groupBy(coordinators.partnershipId)).map((r) => [r.id, Number(r.n)]),
    );
    if (ps.length === 0) {
      ctx.out("No partnerships yet: npm run admin -- partnership create --name … --slug … --tz … --locale …");
      return { chain: 0, detail: { partnerships: 0 } };
    }
    const slugOf = new Map(ps.map((p) => [p.id, p.slug]));
    const rows = ps.map((p) => [
      p.slug,
      p.name,
      p.level,
      p.parentId ? (slugOf.get(p.parentId) ?? "?") : "—",
      p.timeZone,
      p.locale,
      p.jurisdiction,
      `${p.retentionMonths}/${p.concernRetentionMonths}`,
      String(p.caseMemberCap),
      String(chairs.get(p.id) ?? 0),
      p.demo ? "demo" : "",
    ]);
    for (const l of columns(["slug", "name", "level", "parent", "time zone", "locale", "jurisdiction", "retention (cases/concerns)", "cap", "coordinators", ""], rows)) ctx.out(l);
    return { chain: 0, detail: { partnerships: ps.length } };
  },
};
