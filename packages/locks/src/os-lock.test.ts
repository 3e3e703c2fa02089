import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockPathError, LockTimeoutError } from "./errors.js";
import { isLocked, lockExclusive, lockShared, tryLockExclusive, tryLockShared } from "./os-lock.js";

let directory: string;
let path: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-oslock-"));
  path = join(directory, "members.lock");
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe("OS lock primitives", () => {
  it("shared locks coexist and keep an exclusive lock out", () => {
    const a = tryLockShared(path);
    const b = tryLockShared(path);
    expect(a?.mode).toBe("shared");
    expect(b?.held).toBe(true);
    expect(tryLockExclusive(path)).toBeUndefined();
    a?.release();
    expect(tryLockExclusive(path)).toBeUndefined();
    b?.release();
    const exclusive = tryLockExclusive(path);
    expect(exclusive?.mode).toBe("exclusive");
    expect(tryLockShared(path)).toBeUndefined();
    exclusive?.release();
  });

  it("last one out: releasing the shared lock then trying exclusive succeeds only for the last", () => {
    const a = tryLockShared(path);
    const b = tryLockShared(path);
    a?.release();
    const aLast = tryLockExclusive(path);
    expect(aLast).toBeUndefined();
    b?.release();
    const bLast = tryLockExclusive(path);
    expect(bLast).toBeDefined();
    // A newcomer cannot join while the last member cleans up.
    expect(tryLockShared(path)).toBeUndefined();
    bLast?.release();
    expect(tryLockShared(path)).toBeDefined();
  });

  it("isLocked reports holders of either mode, and a missing file as unlocked", () => {
    expect(isLocked(path)).toBe(false);
    expect(existsSync(path)).toBe(false);
    const shared = tryLockShared(path);
    expect(isLocked(path)).toBe(true);
    shared?.release();
    expect(isLocked(path)).toBe(false);
    // The probe released its own lock.
    expect(tryLockExclusive(path)).toBeDefined();
  });

  it("waiting forms resolve at once when free and time out with a typed error when held", async () => {
    const held = await lockExclusive(path, { timeout: 1 });
    await expect(lockShared(path, { timeout: 0 })).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(lockExclusive(path, { timeout: 0 })).rejects.toMatchObject({
      code: "LOCK_TIMEOUT",
    });
    held.release();
    held[Symbol.dispose]();
    const shared = await lockShared(path, { timeout: 0 });
    expect(shared.held).toBe(true);
    shared.release();
    expect(shared.held).toBe(false);
  });

  it("names the missing directory", () => {
    const missing = join(directory, "nope");
    expect(() => tryLockExclusive(join(missing, "x.lock"))).toThrow(LockPathError);
    expect(() => tryLockShared(join(missing, "x.lock"))).toThrow(missing);
  });
});
