import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseProcStatGroup, processGroupId } from "./process-group.js";

describe("parseProcStatGroup", () => {
  it("reads field 5 after the command name", () => {
    expect(parseProcStatGroup("1234 (node) S 1200 1100 1100 0 -1 4194560")).toBe(1100);
  });

  it("splits after the last parenthesis, so a command name with ') ' cannot shift the fields", () => {
    expect(parseProcStatGroup("77 (evil) 1 2 3) R 70 4242 4242 0")).toBe(4242);
  });

  it("returns undefined for text in another format", () => {
    expect(parseProcStatGroup("no parenthesis here")).toBeUndefined();
    expect(parseProcStatGroup("1 (x) S")).toBeUndefined();
  });
});

// Minimal images (node:*-slim) have no `ps`; the parser tests above still run there.
const ps = spawnSync("ps", ["-o", "pgid=", "-p", String(process.pid)], { encoding: "utf8" });

describe("processGroupId", () => {
  it.runIf(process.platform === "linux" && ps.error === undefined)(
    "matches what ps reports",
    () => {
      expect(ps.status).toBe(0);
      expect(processGroupId()).toBe(Number(ps.stdout.trim()));
    },
  );

  it("is a non-negative integer on every platform", () => {
    expect(Number.isSafeInteger(processGroupId())).toBe(true);
    expect(processGroupId()).toBeGreaterThanOrEqual(0);
  });
});
