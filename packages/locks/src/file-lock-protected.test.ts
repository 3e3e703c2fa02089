import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  InvalidLockOptionError,
  LockPathError,
  LockTimeoutError,
  UnknownPlaceholderError,
} from "./errors.js";
import { FileLockProtected, FileProtectedLock } from "./file-lock-protected.js";
import { isLocked } from "./os-lock.js";
import { processGroupId } from "./process-group.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-locks-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe.each(["os", "mkdir"] as const)("FileLockProtected, strategy %s", (strategy) => {
  it("lets only one of two guards in one process acquire", () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    const first = lock.protected(false);
    const second = new FileLockProtected(join(directory, "a.lock"), { strategy }).protected(false);
    expect(first.acquired).toBe(true);
    expect(second.acquired).toBe(false);
    expect(first.isHeld()).toBe(true);
    expect(second.isHeld()).toBe(false);
    first.release();
    expect(first.isHeld()).toBe(false);
    const third = lock.protected(false);
    expect(third.acquired).toBe(true);
    third.release();
  });

  it("releasing twice is harmless and does not release someone else's lock", () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    const first = lock.protected(false);
    first.release();
    const second = lock.protected(false);
    expect(second.acquired).toBe(true);
    first.release();
    first[Symbol.dispose]();
    expect(second.isHeld()).toBe(true);
    expect(lock.protected(false).acquired).toBe(false);
    second.release();
    second.release();
  });

  it("releases at the end of a `using` block", () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    {
      using guard = lock.protected(false);
      expect(guard.acquired).toBe(true);
      expect(lock.protected(false).acquired).toBe(false);
    }
    using again = lock.protected(false);
    expect(again.acquired).toBe(true);
  });

  it("works inside a sync generator (the Option 2 pattern)", () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    const events: string[] = [];
    function* lifecycle(name: string): Generator<void, void, boolean> {
      while (true) {
        using guard = lock.protected(false);
        if (!guard.acquired) {
          events.push(`${name} waits`);
          if (!(yield)) break;
          continue;
        }
        events.push(`${name} setup`);
        let running = yield;
        while (running) running = yield;
        events.push(`${name} cleanup`);
        break;
      }
    }
    const a = lifecycle("a");
    const b = lifecycle("b");
    a.next();
    b.next();
    b.next(true);
    a.next(false);
    b.next(true);
    b.next(false);
    expect(events).toEqual(["a setup", "b waits", "b waits", "a cleanup", "b setup", "b cleanup"]);
  });

  it("protected(true) resolves to an acquired guard when the lock is free", async () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    const guard = await lock.protected(true, { timeout: 1 });
    expect(guard.acquired).toBe(true);
    guard.release();
  });

  it("protected(true, { timeout: 0 }) rejects with a typed timeout naming the path", async () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    const held = lock.protected(false);
    const error = await lock.protected(true, { timeout: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error).toMatchObject({ code: "LOCK_TIMEOUT", path: lock.path, timeoutMs: 0 });
    held.release();
  });

  it("protected(true) with an aborted signal rejects with its reason and leaves nothing locked", async () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    const held = lock.protected(false);
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    await expect(lock.protected(true, { signal: controller.signal })).rejects.toThrow(
      "shutting down",
    );
    held.release();
    const after = lock.protected(false);
    expect(after.acquired).toBe(true);
    after.release();
  });

  it("rejects a bad timeout", async () => {
    const lock = new FileLockProtected(join(directory, "a.lock"), { strategy });
    await expect(lock.protected(true, { timeout: -1 })).rejects.toBeInstanceOf(
      InvalidLockOptionError,
    );
  });
});

describe("FileLockProtected, os strategy", () => {
  it("creates the lock file, never deletes it, and holds a real OS lock", () => {
    const path = join(directory, "a.lock");
    const lock = new FileLockProtected(path);
    const guard = lock.protected(false);
    expect(isLocked(path)).toBe(true);
    guard.release();
    expect(isLocked(path)).toBe(false);
    expect(existsSync(path)).toBe(true);
  });
});

describe("FileLockProtected, mkdir strategy", () => {
  it("after a takeover, isHeld turns false and release leaves the new owner's lock alone", () => {
    const path = join(directory, "a.lock");
    const lock = new FileLockProtected(path, { strategy: "mkdir" });
    const guard = lock.protected(false);
    // What a stale takeover by another process leaves on disk: the lock directory, a new token.
    writeFileSync(path, "other-host:1:token\n");
    expect(guard.isHeld()).toBe(false);
    guard.release();
    expect(readdirSync(directory).sort()).toEqual(["a.lock", "a.lock.dirlock"]);
  });
});

describe("FileLockProtected construction", () => {
  it("expands the template", () => {
    const lock = new FileLockProtected(join(directory, "x_{pgrp}_{store}.lock"), { store: "s1" });
    expect(lock.path).toBe(join(directory, `x_${processGroupId()}_s1.lock`));
  });

  it("rejects an unknown placeholder at construction", () => {
    expect(() => new FileLockProtected(join(directory, "{nope}.lock"))).toThrow(
      UnknownPlaceholderError,
    );
  });

  it("names a missing parent directory", () => {
    const missing = join(directory, "missing");
    const error = catchError(() => new FileLockProtected(join(missing, "a.lock")));
    expect(error).toBeInstanceOf(LockPathError);
    expect(error).toMatchObject({ code: "LOCK_PATH_INVALID", directory: missing });
    expect((error as Error).message).toContain(missing);
  });

  it("rejects a parent that is a file", () => {
    writeFileSync(join(directory, "file"), "");
    expect(() => new FileLockProtected(join(directory, "file", "a.lock"))).toThrow(
      /is not a directory/,
    );
  });

  it.each([
    [{ strategy: "flock" }, "strategy"],
    [{ staleMs: 100 }, "staleMs"],
    [{ onCompromised: 1 }, "onCompromised"],
    [{ fileMode: -1 }, "fileMode"],
    [{ store: 5 }, "store"],
    [{ stale: 5000 }, "stale"],
  ])("rejects option %j", (options, field) => {
    const error = catchError(
      () => new FileLockProtected(join(directory, "a.lock"), options as never),
    );
    expect(error).toBeInstanceOf(InvalidLockOptionError);
    expect(error).toMatchObject({ code: "LOCK_INVALID_OPTION", field });
  });

  it("rejects an empty template", () => {
    expect(() => new FileLockProtected("")).toThrow(InvalidLockOptionError);
  });

  it("exports the asyncz alias", () => {
    expect(FileProtectedLock).toBe(FileLockProtected);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("FileLockProtected, a lock file deleted behind its back", () => {
  it("re-opens instead of locking an orphaned inode that excludes nobody", () => {
    const path = join(directory, "a.lock");
    const first = new FileLockProtected(path);
    // Leaves an idle descriptor of the current inode in `first`.
    first.protected(false).release();
    rmSync(path);
    const second = new FileLockProtected(path);
    const held = second.protected(false);
    expect(held.acquired).toBe(true);
    const contender = first.protected(false);
    expect(contender.acquired).toBe(false);
    held.release();
    const after = first.protected(false);
    expect(after.acquired).toBe(true);
    expect(isLocked(path)).toBe(true);
    after.release();
    first.close();
    first.close();
    second.close();
  });
});
