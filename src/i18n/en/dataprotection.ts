/** English: dataprotection. */
export const dataprotectionMessages = {
  "dataprotection.placeholder": "",
} as const;
