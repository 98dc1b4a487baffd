import { describe, it, expect } from "vitest";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import {
  normaliseName,
  phoneticName,
  subjectKeys,
  type SubjectKey,
  type SubjectKeyKind,
} from "../src/modules/concerns/subject-keys.js";

const hmac = (data: string) => createHmac("sha256", "test-key").update(data).digest("hex");
const keys = (name: string | null | undefined, dob?: string | null) => subjectKeys({ name, dob }, hmac);
const keyOf = (ks: SubjectKey[], kind: SubjectKeyKind) => ks.find((k) => k.kind === kind)?.key;

describe("normaliseName", () => {
  it("folds case and accents", () => {
    expect(normaliseName("José Müller")).toBe("jose muller");
    expect(normaliseName("JOSÉ MÜLLER")).toBe(normaliseName("jose muller"));
    expect(normaliseName("Zoë Brontë")).toBe("bronte zoe");
  });

  it("maps letters that have no decomposition", () => {
    expect(normaliseName("Straße")).toBe("strasse");
    expect(normaliseName("Ægir")).toBe("aegir");
    expect(normaliseName("Søren")).toBe("soren");
    expect(normaliseName("Œdipe")).toBe("oedipe");
    expect(normaliseName("Łukasz Wałęsa")).toBe("lukasz walesa");
    expect(normaliseName("Þór")).toBe("thor");
    expect(normaliseName("İbrahim")).toBe("ibrahim");
  });

  it("turns hyphens, apostrophes and punctuation into spaces and sorts the words", () => {
    expect(normaliseName("Smith, John")).toBe("john smith");
    expect(normaliseName("  john   SMITH ")).toBe("john smith");
    expect(normaliseName("Anne-Marie D'Souza")).toBe("anne d marie souza");
    expect(normaliseName("Anne Marie D Souza")).toBe(normaliseName("Anne-Marie D'Souza"));
  });

  it("keeps non-Latin scripts", () => {
    expect(normaliseName("Иван Петров")).toBe("иван петров");
    expect(normaliseName("ΟΔΥΣΣΕΥΣ")).toBe(normaliseName("Οδυσσευσ"));
  });

  it("is empty for names with no letters or digits", () => {
    expect(normaliseName("")).toBe("");
    expect(normaliseName("  -- ' ")).toBe("");
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(normaliseName(normaliseName(s))).toBe(normaliseName(s));
      }),
    );
  });
});

describe("phoneticName", () => {
  it("codes each word and sorts the codes", () => {
    expect(phoneticName("John Smith")).toBe("JN SM0");
    expect(phoneticName("Smith John")).toBe("JN SM0");
  });

  it("matches common misspellings", () => {
    expect(phoneticName("Mohamed")).toBe(phoneticName("Mohammed"));
    expect(phoneticName("Muhammad")).toBe(phoneticName("Mohammed"));
    expect(phoneticName("Jon Smyth")).toBe(phoneticName("John Smith"));
    expect(phoneticName("Catherine")).toBe(phoneticName("Katherine"));
    expect(phoneticName("Kathryn")).toBe(phoneticName("Katherine"));
    expect(phoneticName("Stephen")).toBe(phoneticName("Steven"));
    expect(phoneticName("Ayesha")).toBe(phoneticName("Aisha"));
    expect(phoneticName("Mueller")).toBe(phoneticName("Müller"));
  });

  it("is what double metaphone makes it: some variants differ, some different names collide", () => {
    expect(phoneticName("Shaun")).not.toBe(phoneticName("Sean"));
    expect(phoneticName("O'Brien")).not.toBe(phoneticName("OBrien"));
    expect(phoneticName("Jane Smith")).toBe(phoneticName("John Smith"));
  });

  it("keeps words double metaphone cannot code, so non-Latin names do not all collide", () => {
    expect(phoneticName("Иван Петров")).toBe("иван петров");
    expect(phoneticName("محمد")).not.toBe(phoneticName("علي"));
  });
});

describe("subjectKeys", () => {
  it("gives exact, phonetic and name keys for a name and a dob", () => {
    const ks = keys("John Smith", "2012-03-04");
    expect(ks).toEqual([
      { kind: "exact", key: hmac("exact|john smith|2012-03-04") },
      { kind: "phonetic", key: hmac("phonetic|JN SM0|2012-03-04") },
      { kind: "name", key: hmac("name|john smith") },
    ]);
  });

  it("gives phonetic and name keys for a name alone", () => {
    expect(keys("John Smith")).toEqual([
      { kind: "phonetic", key: hmac("phonetic|JN SM0|") },
      { kind: "name", key: hmac("name|john smith") },
    ]);
    expect(keys("John Smith", null)).toEqual(keys("John Smith"));
    expect(keys("John Smith", " ")).toEqual(keys("John Smith"));
  });

  it("gives no keys without a usable name", () => {
    expect(keys(undefined, "2012-03-04")).toEqual([]);
    expect(keys(null, "2012-03-04")).toEqual([]);
    expect(keys("", "2012-03-04")).toEqual([]);
    expect(keys(" -- ", "2012-03-04")).toEqual([]);
  });

  it("matches exactly across accents, case and word order", () => {
    expect(keys("José Müller", "2010-01-01")).toEqual(keys("jose muller", "2010-01-01"));
    expect(keys("Smith, John", "2010-01-01")).toEqual(keys("john smith", "2010-01-01"));
  });

  it("matches a misspelt referral phonetically but not exactly", () => {
    const first = keys("Mohammed Khan", "2011-05-06");
    const second = keys("Mohamed Kahn", "2011-05-06");
    expect(keyOf(second, "phonetic")).toBe(keyOf(first, "phonetic"));
    expect(keyOf(second, "exact")).not.toBe(keyOf(first, "exact"));
    expect(keyOf(second, "name")).not.toBe(keyOf(first, "name"));

    expect(keyOf(keys("Jon Smyth", "2011-05-06"), "phonetic")).toBe(keyOf(keys("John Smith", "2011-05-06"), "phonetic"));
    expect(keyOf(keys("Catherine Brown"), "phonetic")).toBe(keyOf(keys("Katherine Brown"), "phonetic"));
  });

  it("separates people with the same name and a different dob", () => {
    const a = keys("John Smith", "2012-03-04");
    const b = keys("John Smith", "2012-03-05");
    expect(keyOf(a, "exact")).not.toBe(keyOf(b, "exact"));
    expect(keyOf(a, "phonetic")).not.toBe(keyOf(b, "phonetic"));
    expect(keyOf(a, "name")).toBe(keyOf(b, "name"));
  });

  it("does not confuse key kinds", () => {
    const ks = keys("John Smith", "2012-03-04").map((k) => k.key);
    expect(new Set(ks).size).toBe(ks.length);
  });

  it("depends on the secret", () => {
    const other = (data: string) => createHmac("sha256", "other-key").update(data).digest("hex");
    expect(subjectKeys({ name: "John Smith" }, other)).not.toEqual(keys("John Smith"));
  });

  it("never contains the name or dob in clear text", () => {
    for (const k of keys("José Müller", "2010-01-01")) {
      expect(k.key).toMatch(/^[0-9a-f]{64}$/);
      for (const fragment of ["jose", "José", "muller", "Müller", "2010", "01-01", "HS", "MLR"]) {
        expect(k.key).not.toContain(fragment);
      }
    }
  });

  it("refuses a dob that is not YYYY-MM-DD, rather than silently missing a match", () => {
    expect(() => keys("John Smith", "04/03/2012")).toThrow(RangeError);
    expect(() => keys("John Smith", "2012-02-30")).toThrow(RangeError);
  });
});
