import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the proxy saw it: HTTP method, path with query, and body. */
export interface SeenRequest {
  method: string;
  path: string;
  body: Buffer;
}

/**
 * A proxy in front of a platform's API (the fake Slack Web API, the fake
 * homeserver) that lets the process behind it die, as a kill -9 would, right
 * after the platform carried out one request: that request is passed on, the
 * platform acts on it, and its answer never comes back, nor does anything
 * after (later requests get no answer at all).
 */
export async function dyingProxy(target: string, dieAfter: (req: SeenRequest) => boolean) {
  let dead = false;
  let died!: () => void;
  const deathReached = new Promise<void>((r) => (died = r));
  const server: Server = createServer((req, res) => {
    if (dead) return; // nothing leaves a dead process
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const seen: SeenRequest = { method: req.method ?? "GET", path: req.url ?? "/", body };
      const to = new URL(req.url ?? "/", target);
      const out = request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (up) => {
        if (dead || dieAfter(seen)) {
          dead = true;
          up.resume();
          died();
          return; // the platform did it; the process never hears so
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deathReached,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export type DyingProxy = Awaited<ReturnType<typeof dyingProxy>>;

/** Settles within `ms` whatever `p` does (teardown of a process that is meant to be dead). */
export const bounded = (p: Promise<unknown>, ms: number) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, ms))]);
