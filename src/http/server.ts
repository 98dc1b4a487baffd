import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.js";
import type { Metrics } from "./metrics.js";

/**
 * The process's HTTP endpoint: `/healthz` and `/metrics` here; adapters (Slack's
 * events) mount further routes on the same port through `routes`.
 */
export interface HttpServer {
  server: Server;
  port: number;
  /** Stop accepting connections; resolves when open ones are done. */
  close(): Promise<void>;
}

export interface HttpOptions {
  port: number;
  logger: Logger;
  /** Rendered for /metrics (asynchronously when the counters live in the app thread). */
  metrics: Pick<Metrics, "render"> | { render(): Promise<string> };
  /** Resolves when the service can do its work (the database answers). */
  health: () => Promise<void>;
  /** Routes by path, tried before the built-in ones. */
  routes?: Record<string, RequestListener>;
  /** While shutting down, health reports 503 so a load balancer stops sending work. */
  draining?: () => boolean;
}

export async function startHttpServer(o: HttpOptions): Promise<HttpServer> {
  const server = createServer((req, res) => {
    void handle(o, req, res).catch((e: unknown) => {
      o.logger.error({ err: e }, "http handler failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function handle(o: HttpOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0]!;
  const route = o.routes?.[path];
  if (route) return void route(req, res);
  if (path === "/healthz") {
    if (o.draining?.()) return json(res, 503, { status: "draining" });
    try {
      await o.health();
      return json(res, 200, { status: "ok", database: "ok" });
    } catch {
      return json(res, 503, { status: "unavailable", database: "unreachable" });
    }
  }
  if (path === "/metrics") {
    let text: string;
    try {
      text = await o.metrics.render();
    } catch {
      return json(res, 503, { status: "unavailable" });
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(text);
    return;
  }
  json(res, 404, { error: "not found" });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
