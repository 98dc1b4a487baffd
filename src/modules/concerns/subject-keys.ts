import { doubleMetaphone } from "double-metaphone";
import { isIsoDate } from "../../commands/dates.js";

/** exact: normalised name + dob; phonetic: sound of the name (+ dob when known); name: normalised name alone. */
export type SubjectKeyKind = "exact" | "phonetic" | "name";

/** A keyed hash of the person a concern is about; only these are stored for matching. */
export interface SubjectKey {
  kind: SubjectKeyKind;
  key: string;
}

// Letters that NFKD does not decompose into a base letter and a combining mark (and final sigma).
const LETTERS: Record<string, string> = {
  ß: "ss", æ: "ae", ø: "o", œ: "oe", ł: "l", đ: "d", ð: "d", þ: "th",
  ı: "i", ħ: "h", ŧ: "t", ŋ: "ng", ĸ: "k", ς: "σ",
};
const SPECIAL_LETTERS = new RegExp(`[${Object.keys(LETTERS).join("")}]`, "gu");

/** Fold case, accents and punctuation and sort the name's words, so "Smith, John" equals "john smith". */
export function normaliseName(name: string): string {
  // NFKD both sides of lower-casing: compatibility forms can decompose to capitals (ℌ → H),
  // and lower-casing can leave combining marks (İ → i + dot above).
  return name
    .normalize("NFKD")
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(SPECIAL_LETTERS, (c) => LETTERS[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .split(" ")
    .filter((t) => t !== "")
    .sort()
    .join(" ");
}

/** Double Metaphone primary code of each normalised word, sorted and joined by spaces. */
export function phoneticName(name: string): string {
  const tokens = normaliseName(name).split(" ").filter((t) => t !== "");
  // Double Metaphone only knows Latin letters; a word it cannot code (e.g. Arabic or Cyrillic
  // script) keeps its normalised form, or every such name would share one phonetic key.
  return tokens
    .map((t) => doubleMetaphone(t)[0] || t)
    .sort()
    .join(" ");
}

/** Matching keys for a concern's subject; `hmac` is the server's keyed HMAC-SHA-256 (hex). `dob` must be YYYY-MM-DD. */
export function subjectKeys(
  subject: { name?: string | null; dob?: string | null },
  hmac: (data: string) => string,
): SubjectKey[] {
  const normalised = normaliseName(subject.name ?? "");
  if (normalised === "") return [];
  const phonetic = phoneticName(normalised);
  const nameKey: SubjectKey = { kind: "name", key: hmac(`name|${normalised}`) };

  const dob = subject.dob?.trim() ?? "";
  if (dob === "") {
    return [{ kind: "phonetic", key: hmac(`phonetic|${phonetic}|`) }, nameKey];
  }
  // A dob in any other form would hash differently and silently miss a repeat referral.
  if (!isIsoDate(dob)) throw new RangeError("Subject date of birth must be YYYY-MM-DD");
  return [
    { kind: "exact", key: hmac(`exact|${normalised}|${dob}`) },
    { kind: "phonetic", key: hmac(`phonetic|${phonetic}|${dob}`) },
    nameKey,
  ];
}
