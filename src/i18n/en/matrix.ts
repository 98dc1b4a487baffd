/** English: the Matrix adapter's own words. */
export const matrixMessages = {
  "matrix.welcome":
    "Hello, I am Roundtable, the partnership's bot. Type !rt help for what you can do here. " +
    "To raise a concern, type !concern and I will ask for the details one at a time; they stay in this direct chat.",
  "matrix.sentByDirectMessage": "I have sent you the answer in our direct chat.",
  "matrix.concernRemovedFromRoom":
    "I removed your message from this room: concerns are raised in a direct chat with me, never in a shared room.",
  "matrix.removedFromCase": "No longer a participant of this case.",
  "matrix.caseClosed": "The case is closed.",
  "matrix.noLongerCoordinator": "No longer a coordinator of the partnership.",
  "matrix.coordinatorsRoomName": (p: { partnership: string }) => `Coordinators — ${p.partnership}`,
  "matrix.coordinatorsRoomTopic": "Roundtable: new concerns and triage, for the partnership's coordinators only.",
} as const;
