import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LockCompromisedError, tryMkdirLock } from "./mkdir-lock-guard.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-mkdirlock-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe("MkdirLockGuard compromise handling", () => {
  it("hands a typed error to onCompromised and then reports the lock as not held", () => {
    const seen: unknown[] = [];
    const guard = tryMkdirLock(join(directory, "a.lock"), {
      staleMs: 10_000,
      onCompromised: (error) => seen.push(error),
    });
    expect(guard?.isHeld()).toBe(true);
    guard?.markCompromised(new Error("mtime changed"));
    guard?.markCompromised(new Error("again"));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(LockCompromisedError);
    expect(seen[0]).toMatchObject({ code: "LOCK_COMPROMISED" });
    expect(guard?.isHeld()).toBe(false);
    guard?.release();
  });

  it("never lets a throwing onCompromised escape into the host", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const guard = tryMkdirLock(join(directory, "a.lock"), {
      staleMs: 10_000,
      onCompromised: () => {
        throw new Error("handler bug");
      },
    });
    expect(() => guard?.markCompromised(new Error("lost"))).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("handler bug"), "AsynczLockWarning");
    warn.mockRestore();
    guard?.release();
  });
});
