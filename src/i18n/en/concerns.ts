/** English: concerns. */
export const concerns = {
} as const;
