import { describe, expect, it } from "vitest";
import { UnknownPlaceholderError } from "./errors.js";
import { expandLockPath } from "./lock-path-template.js";
import { processGroupId } from "./process-group.js";

describe("expandLockPath", () => {
  it("expands {pgrp}, {ppid} and {store}", () => {
    expect(expandLockPath("/tmp/a_{pgrp}_{ppid}_{store}.lock", { store: "default" })).toBe(
      `/tmp/a_${processGroupId()}_${process.ppid}_default.lock`,
    );
  });

  it("leaves a template without placeholders unchanged", () => {
    expect(expandLockPath("/var/lock/plain.lock")).toBe("/var/lock/plain.lock");
  });

  it("rejects an unknown placeholder, naming it", () => {
    const error = catchError(() => expandLockPath("/tmp/x_{pid}.lock"));
    expect(error).toBeInstanceOf(UnknownPlaceholderError);
    expect(error).toMatchObject({ code: "LOCK_UNKNOWN_PLACEHOLDER", placeholder: "{pid}" });
    expect((error as Error).message).toContain("{pid}");
    expect((error as Error).message).toContain("/tmp/x_{pid}.lock");
  });

  it("rejects {store} without a store name", () => {
    expect(() => expandLockPath("/tmp/{store}.lock")).toThrow(/\{store\} needs the `store` option/);
  });

  it("keeps a store name from adding path segments", () => {
    expect(expandLockPath("/tmp/a_{store}.lock", { store: "../../etc/passwd" })).toBe(
      "/tmp/a_.._.._etc_passwd.lock",
    );
    expect(expandLockPath("/tmp/{store}", { store: ".." })).toBe("/tmp/__");
    expect(expandLockPath("/tmp/{store}", { store: "" })).toBe("/tmp/_");
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
