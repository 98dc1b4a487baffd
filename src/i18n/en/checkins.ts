/** English: checkins. */
export const checkinsMessages = {
  "checkins.placeholder": "",
} as const;
