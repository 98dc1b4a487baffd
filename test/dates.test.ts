import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parseDateExpr, resolveDate, todayIn, addDays, isIsoDate, DATE_HINT } from "../src/commands/dates.js";

describe("parseDateExpr", () => {
  it("reads ISO dates", () => {
    expect(parseDateExpr("2026-12-05")).toEqual({ kind: "iso", date: "2026-12-05" });
    expect(parseDateExpr("  2028-02-29 ")).toEqual({ kind: "iso", date: "2028-02-29" });
  });

  it("reads today and tomorrow, in any case", () => {
    expect(parseDateExpr("today")).toEqual({ kind: "today" });
    expect(parseDateExpr("Tomorrow")).toEqual({ kind: "tomorrow" });
    expect(parseDateExpr(" TODAY ")).toEqual({ kind: "today" });
  });

  it("reads weekday names and abbreviations", () => {
    const names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    names.forEach((name, day) => {
      expect(parseDateExpr(name)).toEqual({ kind: "weekday", day });
      expect(parseDateExpr(name.slice(0, 3))).toEqual({ kind: "weekday", day });
    });
    expect(parseDateExpr("Friday")).toEqual({ kind: "weekday", day: 5 });
    expect(parseDateExpr("TUES")).toEqual({ kind: "weekday", day: 2 });
    expect(parseDateExpr("thurs")).toEqual({ kind: "weekday", day: 4 });
  });

  it("reads relative amounts", () => {
    expect(parseDateExpr("3d")).toEqual({ kind: "relative", days: 3 });
    expect(parseDateExpr("2w")).toEqual({ kind: "relative", days: 14 });
    expect(parseDateExpr("in 2w")).toEqual({ kind: "relative", days: 14 });
    expect(parseDateExpr("in 3 days")).toEqual({ kind: "relative", days: 3 });
    expect(parseDateExpr("in 2 weeks")).toEqual({ kind: "relative", days: 14 });
    expect(parseDateExpr("In  1   Week")).toEqual({ kind: "relative", days: 7 });
    expect(parseDateExpr("1 day")).toEqual({ kind: "relative", days: 1 });
    expect(parseDateExpr("3650d")).toEqual({ kind: "relative", days: 3650 });
  });

  it("rejects relative amounts of 0 or over 3650 days", () => {
    expect(parseDateExpr("0d")).toBeNull();
    expect(parseDateExpr("in 0 weeks")).toBeNull();
    expect(parseDateExpr("3651d")).toBeNull();
    expect(parseDateExpr("522w")).toBeNull(); // 3654 days
    expect(parseDateExpr("99999999999999999999d")).toBeNull();
  });

  it("rejects impossible calendar dates", () => {
    expect(parseDateExpr("2026-02-30")).toBeNull();
    expect(parseDateExpr("2026-13-01")).toBeNull();
    expect(parseDateExpr("2026-00-10")).toBeNull();
    expect(parseDateExpr("2026-04-31")).toBeNull();
    expect(parseDateExpr("2026-01-00")).toBeNull();
    expect(parseDateExpr("2026-02-29")).toBeNull(); // 2026 is not a leap year
  });

  it("rejects years outside 1900–2200", () => {
    expect(parseDateExpr("1899-12-31")).toBeNull();
    expect(parseDateExpr("1900-01-01")).toEqual({ kind: "iso", date: "1900-01-01" });
    expect(parseDateExpr("2200-12-31")).toEqual({ kind: "iso", date: "2200-12-31" });
    expect(parseDateExpr("2201-01-01")).toBeNull();
  });

  it("returns null for anything else", () => {
    for (const s of ["someday", "", " ", "next friday", "fri day", "2026-1-5", "05/12/2026", "d", "-3d", "3", "in", "3x"]) {
      expect(parseDateExpr(s)).toBeNull();
    }
  });
});

describe("resolveDate", () => {
  const today = "2026-11-27"; // a Friday

  it("resolves every form", () => {
    expect(resolveDate({ kind: "iso", date: "2026-12-05" }, today)).toBe("2026-12-05");
    expect(resolveDate({ kind: "today" }, today)).toBe(today);
    expect(resolveDate({ kind: "tomorrow" }, today)).toBe("2026-11-28");
    expect(resolveDate({ kind: "relative", days: 3 }, today)).toBe("2026-11-30");
    expect(resolveDate({ kind: "relative", days: 14 }, today)).toBe("2026-12-11");
  });

  it("takes a weekday as the next such day strictly after today, across the week boundary", () => {
    expect(resolveDate({ kind: "weekday", day: 5 }, today)).toBe("2026-12-04"); // friday on a Friday: a week later
    expect(resolveDate({ kind: "weekday", day: 6 }, today)).toBe("2026-11-28");
    expect(resolveDate({ kind: "weekday", day: 0 }, today)).toBe("2026-11-29");
    expect(resolveDate({ kind: "weekday", day: 1 }, today)).toBe("2026-11-30");
    expect(resolveDate({ kind: "weekday", day: 2 }, today)).toBe("2026-12-01");
    expect(resolveDate({ kind: "weekday", day: 4 }, today)).toBe("2026-12-03");
    expect(resolveDate({ kind: "weekday", day: 1 }, "2026-12-28")).toBe("2027-01-04");
  });

  it("resolves parsed expressions", () => {
    const resolve = (s: string) => {
      const expr = parseDateExpr(s);
      if (!expr) throw new Error(`not a date: ${s}`);
      return resolveDate(expr, "2026-12-30");
    };
    expect(resolve("in 2w")).toBe("2027-01-13");
    expect(resolve("tomorrow")).toBe("2026-12-31");
    expect(resolve("sat")).toBe("2027-01-02");
  });

  it("rejects a malformed today", () => {
    expect(() => resolveDate({ kind: "today" }, "2026-02-30")).toThrow(RangeError);
  });
});

describe("addDays", () => {
  it("crosses month and year ends", () => {
    expect(addDays("2026-01-31", 1)).toBe("2026-02-01");
    expect(addDays("2026-04-30", 1)).toBe("2026-05-01");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
    expect(addDays("2026-12-05", 0)).toBe("2026-12-05");
  });

  it("handles leap years", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2000-02-28", 1)).toBe("2000-02-29");
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01");
    expect(addDays("2028-01-01", 366)).toBe("2029-01-01");
  });

  it("ignores daylight saving changes", () => {
    // Europe and the US change clocks around these dates; calendar arithmetic must not notice.
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-10-24", 7)).toBe("2026-10-31");
    expect(addDays("2026-11-01", 1)).toBe("2026-11-02");
  });

  it("handles years below 100 without mapping them to the 1900s", () => {
    expect(addDays("0050-12-31", 1)).toBe("0051-01-01");
  });

  it("rejects bad input", () => {
    expect(() => addDays("2026-13-01", 1)).toThrow(RangeError);
    expect(() => addDays("2026-12-01", 1.5)).toThrow(RangeError);
  });
});

describe("isIsoDate", () => {
  it("accepts real calendar dates only", () => {
    expect(isIsoDate("2026-12-05")).toBe(true);
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("1900-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2026-02-30")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("2026-06-31")).toBe(false);
    expect(isIsoDate("2026-1-05")).toBe(false);
    expect(isIsoDate(" 2026-12-05")).toBe(false);
    expect(isIsoDate("2026-12-05T00:00")).toBe(false);
  });
});

describe("todayIn", () => {
  const instant = new Date("2026-11-28T23:30:00Z");

  it("gives the calendar date in the zone", () => {
    expect(todayIn("Europe/Paris", instant)).toBe("2026-11-29");
    expect(todayIn("Pacific/Auckland", instant)).toBe("2026-11-29");
    expect(todayIn("America/New_York", instant)).toBe("2026-11-28");
    expect(todayIn("UTC", instant)).toBe("2026-11-28");
  });

  it("crosses the date line both ways", () => {
    const noonUtc = new Date("2026-12-31T12:00:00Z");
    expect(todayIn("Pacific/Kiritimati", noonUtc)).toBe("2027-01-01"); // UTC+14
    expect(todayIn("Pacific/Pago_Pago", noonUtc)).toBe("2026-12-31"); // UTC-11
    expect(todayIn("Pacific/Pago_Pago", new Date("2027-01-01T10:59:00Z"))).toBe("2026-12-31");
  });

  it("follows daylight saving time", () => {
    // Paris is UTC+2 in summer, UTC+1 in winter.
    expect(todayIn("Europe/Paris", new Date("2026-07-01T22:30:00Z"))).toBe("2026-07-02");
    expect(todayIn("Europe/Paris", new Date("2026-01-01T22:30:00Z"))).toBe("2026-01-01");
  });

  it("rejects an unknown zone", () => {
    expect(() => todayIn("Mars/Olympus", instant)).toThrow(RangeError);
  });
});

describe("properties", () => {
  const isoDate = fc
    .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2200-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it("addDays agrees with UTC time arithmetic and undoes itself", () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -4000, max: 4000 }), (date, n) => {
        const expected = new Date(Date.parse(date) + n * 86_400_000).toISOString().slice(0, 10);
        expect(addDays(date, n)).toBe(expected);
        expect(addDays(addDays(date, n), -n)).toBe(date);
      }),
    );
  });

  it("parseDateExpr never throws, and parsed ISO dates are valid", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const expr = parseDateExpr(s);
        if (expr?.kind === "iso") expect(isIsoDate(expr.date)).toBe(true);
      }),
    );
  });
});

describe("DATE_HINT", () => {
  it("shows every form", () => {
    expect(DATE_HINT).toBe(
      'write a date as 2026-12-05, today, tomorrow, a weekday (friday), or relative (3d, 2w, "in 2w")',
    );
  });
});
