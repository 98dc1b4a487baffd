/** English: casework. */
export const caseworkMessages = {
  "casework.placeholder": "",
} as const;
