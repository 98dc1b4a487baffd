import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { AppThread, FrontLink, StartFailure } from "../src/runtime/app-thread.js";

/** The front's handle on the app thread, over a MessageChannel standing in for the worker. */
function pair() {
  const { port1, port2 } = new MessageChannel();
  let exit!: (code: number) => void;
  const app = new AppThread(port1, new Promise<number>((r) => (exit = r)));
  return { app, frontSide: port1, appSide: port2, exit, close: () => (port1.close(), port2.close()) };
}

describe("the app thread link", () => {
  it("a failure the app reports before it is ready reaches the front with its message and exit code", async () => {
    const { app, frontSide, appSide, exit, close } = pair();
    // As with a worker: the thread's exit is seen after its last message (this listener runs after the link's).
    frontSide.once("message", () => exit(3));
    appSide.postMessage({ kind: "fail", message: "Data dir is in use by another Roundtable process (pid 1)", code: 3 });
    const e = await app.ready.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StartFailure);
    expect(e).toMatchObject({ message: "Data dir is in use by another Roundtable process (pid 1)", code: 3 });
    close();
  });

  it("an app thread that dies before it is ready fails start-up with a non-zero code", async () => {
    const { app, exit, close } = pair();
    exit(0);
    await expect(app.ready).rejects.toMatchObject({ code: 1 });
    close();
  });

  it("answers come back to the question that asked them; questions pending when the app exits are refused", async () => {
    const { port1, port2 } = new MessageChannel();
    let exit!: (code: number) => void;
    const app = new AppThread(port1, new Promise<number>((r) => (exit = r)));
    let healthy = true;
    new FrontLink(port2).serve({
      slack: async (e) => ({ response: { echoed: e.body["n"] } }),
      health: async () => {
        if (!healthy) throw new Error("database unreachable");
      },
      metrics: () => "roundtable_uptime_seconds 1\n",
      stop: () => new Promise(() => {}),
    });
    await app.ready;
    const [a, b] = await Promise.all([app.forward({ body: { n: 1 }, acked: false }), app.forward({ body: { n: 2 }, acked: false })]);
    expect([a.response, b.response]).toEqual([{ echoed: 1 }, { echoed: 2 }]);
    expect(await app.metrics()).toContain("uptime");
    await expect(app.health()).resolves.toBeUndefined();
    healthy = false;
    await expect(app.health()).rejects.toThrow("database unreachable");

    port2.close(); // the app stops answering…
    const pending = app.health();
    exit(1); // …and its thread ends
    await expect(pending).rejects.toThrow(/exited/);
    port1.close();
  });
});
