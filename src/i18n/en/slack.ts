/** English: slack. */
export const slackMessages = {
  "slack.placeholder": "",
} as const;
