import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.js";

function collector() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("createLogger", () => {
  it("never writes secrets, tokens or free text about people, and shows [redacted] instead", () => {
    const out = collector();
    const log = createLogger("info", out.stream);
    log.info(
      { secret: "s3", summary: "about a child", config: { slack: { botToken: "xoxb-fake" } } },
      "starting",
    );
    const text = out.text();
    expect(text).toContain("starting");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("s3");
    expect(text).not.toContain("about a child");
    expect(text).not.toContain("xoxb-fake");
  });

  it("redacts one level down too (nested secret, token, summary)", () => {
    const out = collector();
    const log = createLogger("info", out.stream);
    log.info({ slack: { botToken: "xoxb-fake" }, concern: { summary: "about a child" }, req: { token: "tok-fake" } });
    const text = out.text();
    expect(text).not.toContain("xoxb-fake");
    expect(text).not.toContain("about a child");
    expect(text).not.toContain("tok-fake");
    expect(text).toContain("[redacted]");
  });

  it("respects the level", () => {
    const out = collector();
    const log = createLogger("warn", out.stream);
    log.info("quiet");
    log.warn("loud");
    expect(out.text()).not.toContain("quiet");
    expect(out.text()).toContain("loud");
  });
});
