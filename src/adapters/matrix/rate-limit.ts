/**
 * Homeservers answer too many requests with 429 `M_LIMIT_EXCEEDED` and
 * `retry_after_ms`. The request is repeated after that wait, unchanged (a send
 * keeps its transaction id, so the server deduplicates it), until it passes or
 * the attempts run out.
 */

export interface RetryOptions {
  maxAttempts?: number;
  /** Upper bound on one wait, whatever the server asks for. */
  maxWaitMs?: number;
  /** Wait when the server gives no retry_after_ms. */
  defaultWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onLimited?: (waitMs: number, attempt: number) => void;
}

/** How long the server asks us to wait, or null when the error is not a rate limit. */
export function rateLimitWait(e: unknown, defaultWaitMs = 1000): number | null {
  if (!e || typeof e !== "object") return null;
  const err = e as { errcode?: unknown; statusCode?: unknown; retryAfterMs?: unknown; body?: { retry_after_ms?: unknown } };
  if (err.errcode !== "M_LIMIT_EXCEEDED" && err.statusCode !== 429) return null;
  const ms = err.retryAfterMs ?? err.body?.retry_after_ms;
  return typeof ms === "number" && Number.isFinite(ms) && ms >= 0 ? ms : defaultWaitMs;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Run `fn`, waiting and repeating it for as long as it is rate limited. */
export async function withRateLimitRetry<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 8;
  const sleep = opts.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const wait = rateLimitWait(e, opts.defaultWaitMs);
      if (wait === null || attempt >= maxAttempts) throw e;
      const ms = Math.min(wait, opts.maxWaitMs ?? 60_000);
      opts.onLimited?.(ms, attempt);
      await sleep(ms);
    }
  }
}
