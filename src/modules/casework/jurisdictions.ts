import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { msg, UserError } from "../../commands/errors.js";

/**
 * Jurisdiction profiles: per country, the lawful bases a partnership may name
 * when information is shared (data/jurisdictions/<code>.json). A partnership
 * names its profile in `partnerships.jurisdiction`; a basis outside the profile
 * can always be described in words, so no practitioner is stuck.
 */

export const JURISDICTIONS_DIR = fileURLToPath(new URL("../../../data/jurisdictions/", import.meta.url));

const CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const basisSchema = z.object({
  code: z.string().regex(CODE).max(40),
  label: z.string().min(1),
  /** The label in the country's languages, by language code. */
  labels: z.record(z.string(), z.string().min(1)).optional(),
  reference: z.string().min(1),
  /** This basis is the person's consent: it only holds while consent is given. */
  consent: z.boolean().optional(),
});

const profileSchema = z
  .object({
    code: z.string().regex(/^[a-z]{2,8}$/),
    name: z.string().min(1),
    language: z.string().min(2),
    note: z.string().optional(),
    bases: z.array(basisSchema).min(1),
  })
  .refine((p) => new Set(p.bases.map((b) => b.code)).size === p.bases.length, { message: "basis codes must be unique" });

export type LawfulBasis = z.infer<typeof basisSchema>;
export type Jurisdiction = z.infer<typeof profileSchema>;

const cache = new Map<string, Jurisdiction | null>();

/** A profile by code, or null when there is none (the partnership then describes bases in words). */
export function jurisdiction(code: string): Jurisdiction | null {
  const key = code.trim().toLowerCase();
  if (cache.has(key)) return cache.get(key)!;
  // The code comes from the database: only a plain name may become a file name.
  if (!/^[a-z]{2,8}$/.test(key)) return null;
  let raw: string;
  try {
    raw = readFileSync(`${JURISDICTIONS_DIR}${key}.json`, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    cache.set(key, null);
    return null;
  }
  const profile = profileSchema.parse(JSON.parse(raw));
  if (profile.code !== key) throw new Error(`data/jurisdictions/${key}.json declares code "${profile.code}"`);
  cache.set(key, profile);
  return profile;
}

/** Codes of every profile on disk. */
export function jurisdictionCodes(): string[] {
  return readdirSync(JURISDICTIONS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** The label of a basis in a locale, falling back to English. */
export function basisLabel(b: LawfulBasis, locale: string): string {
  const lang = locale.toLowerCase().split(/[-_]/)[0] ?? "en";
  return b.labels?.[lang] ?? b.label;
}

/** What the user chose: a basis from the profile, or one described in words. */
export type BasisChoice = { kind: "profile"; basis: LawfulBasis } | { kind: "words"; text: string };

/**
 * Read a `basis:` value: a profile code or label picks that basis; a sentence is
 * a basis described in words; a single unknown word is taken for a mistyped
 * code and refused with the codes that exist.
 */
export function chooseBasis(jurisdictionCode: string, input: string): BasisChoice {
  const value = input.trim();
  const wanted = value.toLowerCase();
  const profile = jurisdiction(jurisdictionCode);
  const found = profile?.bases.find(
    (b) => b.code === wanted || b.label.toLowerCase() === wanted || Object.values(b.labels ?? {}).some((l) => l.toLowerCase() === wanted),
  );
  if (found) return { kind: "profile", basis: found };
  if (profile && /^[\p{L}\p{N}._-]+$/u.test(value)) {
    throw new UserError(msg("casework.basis.unknownCode", { code: value, jurisdiction: profile.name, codes: profile.bases.map((b) => b.code) }));
  }
  if (value.length < 4) throw new UserError(msg("casework.basis.tooShort"));
  return { kind: "words", text: value };
}

/** The basis as it is kept on the record: label and reference, so it reads the same if the profile later changes. */
export function basisRecord(choice: BasisChoice, locale: string): string {
  return choice.kind === "profile" ? `${basisLabel(choice.basis, locale)} (${choice.basis.reference})` : choice.text;
}

/** The basis for the audit log: its code, never the words someone typed. */
export const basisAuditCode = (choice: BasisChoice) => (choice.kind === "profile" ? choice.basis.code : "in-words");
