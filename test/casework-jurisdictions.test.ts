import { describe, expect, it } from "vitest";
import { UserError } from "../src/commands/errors.js";
import { translator } from "../src/i18n/catalogue.js";
import { basisAuditCode, basisRecord, chooseBasis, jurisdiction, jurisdictionCodes } from "../src/modules/casework/jurisdictions.js";

const t = translator("en");
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.render(t);
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("jurisdiction profiles", () => {
  it("exist for the United Kingdom, France, the Netherlands, Belgium and Denmark", () => {
    expect(jurisdictionCodes()).toEqual(expect.arrayContaining(["uk", "fr", "nl", "be", "dk"]));
  });

  for (const code of ["uk", "fr", "nl", "be", "dk"]) {
    it(`${code}: every basis has a code, a label and its legal reference, and consent is one of them`, () => {
      const p = jurisdiction(code)!;
      expect(p.code).toBe(code);
      expect(p.bases.length).toBeGreaterThanOrEqual(5);
      for (const b of p.bases) {
        expect(b.code).toMatch(/^[a-z0-9-]+$/);
        expect(b.label.length).toBeGreaterThan(3);
        expect(b.reference.length).toBeGreaterThan(3);
      }
      expect(p.bases.filter((b) => b.consent).map((b) => b.code)).toEqual(["consent"]);
      expect(p.bases.map((b) => b.code)).toContain("public-task");
    });
  }

  it("a partnership whose jurisdiction has no profile, or a name that is not one, gets none (bases are then described in words)", () => {
    expect(jurisdiction("zz")).toBeNull();
    expect(jurisdiction("../../etc/passwd")).toBeNull();
    expect(chooseBasis("zz", "Local information sharing agreement")).toEqual({ kind: "words", text: "Local information sharing agreement" });
  });
});

describe("choosing a basis", () => {
  it("by its code or its label, in any of the country's languages", () => {
    expect(chooseBasis("uk", "public-task")).toMatchObject({ kind: "profile", basis: { code: "public-task" } });
    expect(chooseBasis("uk", "Public Task")).toMatchObject({ kind: "profile", basis: { code: "public-task" } });
    expect(chooseBasis("fr", "Mission d'intérêt public")).toMatchObject({ kind: "profile", basis: { code: "public-task" } });
    expect(chooseBasis("be", "Noodtoestand")).toMatchObject({ kind: "profile", basis: { code: "state-of-necessity" } });
    expect(chooseBasis("be", "État de nécessité")).toMatchObject({ kind: "profile", basis: { code: "state-of-necessity" } });
  });

  it("a mistyped code is refused with the codes that exist, not taken for a description", () => {
    const m = refusal(() => chooseBasis("uk", "pubic-task"));
    expect(m).toContain(`"pubic-task" is not a lawful basis in the United Kingdom`);
    expect(m).toContain("public-task");
    expect(m).toContain('basis:"…"');
  });

  it("a basis described in words is kept as written; the audit log gets only 'in-words'", () => {
    const c = chooseBasis("dk", "Local agreement between school and police, clause 4");
    expect(c).toEqual({ kind: "words", text: "Local agreement between school and police, clause 4" });
    expect(basisRecord(c, "en")).toBe("Local agreement between school and police, clause 4");
    expect(basisAuditCode(c)).toBe("in-words");
  });

  it("a basis from the profile is recorded with its label and reference, in the partnership's language", () => {
    expect(basisRecord(chooseBasis("dk", "ssp-psp-ksp"), "en")).toBe(
      "Exchange within SSP, PSP or KSP cooperation (including the information houses on radicalisation) (Retsplejeloven § 115)",
    );
    expect(basisRecord(chooseBasis("nl", "wpg-partnership"), "nl")).toContain("samenwerkingsverband (zwaarwegend algemeen belang) (Wet politiegegevens art. 20)");
    expect(basisAuditCode(chooseBasis("nl", "wpg-partnership"))).toBe("wpg-partnership");
  });

  it("a basis too short to mean anything is refused", () => {
    expect(refusal(() => chooseBasis("zz", "ok"))).toContain("too short");
  });
});
