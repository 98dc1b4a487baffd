/** English: directory. */
export const directory = {
} as const;
