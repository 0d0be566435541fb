import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { loggerOptions } from "@/lib/log";
import { requestIdFrom, withRequest } from "@/lib/observability/request-context";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino(loggerOptions("info"), stream), lines };
}

describe("structured logs", () => {
  it("carry the request id on every line written while serving a request, even after awaits", async () => {
    const { logger, lines } = capture();
    logger.info("outside");
    await withRequest({ requestId: "req-12345678" }, async () => {
      logger.info("first");
      await new Promise((r) => setTimeout(r, 5));
      logger.warn({ tenant: "acme" }, "after an await");
    });
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ["outside", undefined],
      ["first", "req-12345678"],
      ["after an await", "req-12345678"],
    ]);
    expect(lines[2]).toMatchObject({ service: "keyward", tenant: "acme", level: 40 });
  });

  it("redact secrets whatever the caller passes", () => {
    const { logger, lines } = capture();
    logger.info({ password: "p4ss", token: "kw_secret", body: { privateKeyPem: "-----BEGIN", secret: "s" }, authorization: "Bearer x" }, "careless");
    const text = JSON.stringify(lines[0]);
    for (const leaked of ["p4ss", "kw_secret", "-----BEGIN", '"s"', "Bearer x"]) expect(text).not.toContain(leaked);
    expect(lines[0]).toMatchObject({ password: "[redacted]", token: "[redacted]", body: { privateKeyPem: "[redacted]", secret: "[redacted]" } });
  });

  it("take a client's request id only when it looks like one", () => {
    expect(requestIdFrom("abc-12345.x")).toBe("abc-12345.x");
    for (const bad of ["short", "has space in it", "x".repeat(101), undefined, ["a", "b"]]) {
      expect(requestIdFrom(bad as never)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
