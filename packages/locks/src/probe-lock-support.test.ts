import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LockPathError } from "./errors.js";
import { probeLockSupport } from "./probe-lock-support.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-probe-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe("probeLockSupport", () => {
  it("finds OS locks and exclusive create working on the local disk, and cleans up", async () => {
    const report = await probeLockSupport(directory);
    expect(report).toEqual({
      directory,
      osLocks: true,
      osLocksInProcess: true,
      exclusiveCreate: true,
      recommendedStrategy: "os",
      problems: [],
    });
    expect(readdirSync(directory)).toEqual([]);
  });

  it("rejects a missing directory with a typed error naming it", async () => {
    const missing = join(directory, "nope");
    await expect(probeLockSupport(missing)).rejects.toBeInstanceOf(LockPathError);
    await expect(probeLockSupport(missing)).rejects.toThrow(missing);
  });
});
