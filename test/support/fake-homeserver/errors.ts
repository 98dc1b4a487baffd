/** A client-server API error: HTTP status, errcode and message, as the spec writes them. */
export class MatrixApiError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const forbidden = (why: string) => new MatrixApiError(403, "M_FORBIDDEN", why);
export const notFound = (why: string) => new MatrixApiError(404, "M_NOT_FOUND", why);
export const badJson = (why: string) => new MatrixApiError(400, "M_BAD_JSON", why);
