/** English: cases. */
export const cases = {
  "case.badRef": (p: { ref: string }) => `"${p.ref}" is not a case ref: case refs look like CASE-12.`,
  "case.notFound": (p: { ref: string }) => `There is no case ${p.ref} in this partnership.`,
} as const;
