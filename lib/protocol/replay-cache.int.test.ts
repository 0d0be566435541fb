import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeJti } from "@/lib/protocol/replay-cache";
import { uniq } from "@/tests/integration/helpers";
import { startOtherInstance, type OtherInstance } from "@/tests/integration/other-instance";

let other: OtherInstance;
beforeAll(async () => {
  other = await startOtherInstance();
});
afterAll(async () => {
  await other?.stop();
});

describe("the jti replay record", () => {
  it("lets one of many concurrent uses of a jti through, here and in another process", async () => {
    const exp = Math.floor(Date.now() / 1000) + 120;
    const jti = uniq("jti");
    const answers = await Promise.all(Array.from({ length: 20 }, () => consumeJti("test:concurrent", jti, exp)));
    expect(answers.filter(Boolean)).toHaveLength(1);
    // Used here: refused there. Used there: refused here.
    expect(await other.run({ op: "consume-jti", issuer: "test:concurrent", jti, exp })).toMatchObject({ fresh: false });
    const theirs = uniq("jti");
    expect(await other.run({ op: "consume-jti", issuer: "test:concurrent", jti: theirs, exp })).toMatchObject({ fresh: true });
    expect(await consumeJti("test:concurrent", theirs, exp)).toBe(false);
  });

  it("lets a jti whose JWT has expired be used by a new one, and keeps distinct jtis of one batch apart", async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const future = past + 130;
    const jti = uniq("jti");
    expect(await consumeJti("test:expiry", jti, past)).toBe(true);
    expect(await consumeJti("test:expiry", jti, future)).toBe(true);
    expect(await consumeJti("test:expiry", jti, future)).toBe(false);
    const many = Array.from({ length: 30 }, (_, i) => `${jti}-${i}`);
    expect(await Promise.all(many.map((j) => consumeJti("test:expiry", j, future)))).toEqual(many.map(() => true));
    expect(await Promise.all(many.map((j) => consumeJti("test:expiry", j, future)))).toEqual(many.map(() => false));
  });
});
