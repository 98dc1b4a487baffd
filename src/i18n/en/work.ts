/** English: work. */
export const work = {
} as const;
