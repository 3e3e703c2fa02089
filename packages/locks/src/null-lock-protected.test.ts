import { describe, expect, it } from "vitest";
import { NullLockProtected } from "./null-lock-protected.js";

describe("NullLockProtected", () => {
  it("always acquires, in both forms, and any number of times", async () => {
    const lock = new NullLockProtected();
    const a = lock.protected(false);
    const b = lock.protected();
    const c = await lock.protected(true);
    expect([a.acquired, b.acquired, c.acquired]).toEqual([true, true, true]);
    a.release();
    a.release();
    expect(a.isHeld()).toBe(false);
    expect(b.isHeld()).toBe(true);
    b[Symbol.dispose]();
    expect(b.isHeld()).toBe(false);
  });
});
