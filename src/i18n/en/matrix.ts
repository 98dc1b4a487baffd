/** English: matrix. */
export const matrixMessages = {
  "matrix.placeholder": "",
} as const;
