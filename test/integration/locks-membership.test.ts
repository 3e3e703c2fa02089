import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLocked, tryLockExclusive } from "@asyncz/locks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnFixture } from "../fixtures/locks/children.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-locks-members-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe("shared-lock membership across processes", () => {
  it("only the last member out gets the exclusive lock; a SIGKILLed member leaves at once", async () => {
    const membersLock = join(directory, "members.lock");
    const members = [0, 1, 2].map(() => spawnFixture("member.mjs", [membersLock]));
    await Promise.all(members.map((member) => member.line("joined")));
    expect(isLocked(membersLock)).toBe(true);
    expect(tryLockExclusive(membersLock)).toBeUndefined();

    const [killed, first, last] = members;
    killed?.process.kill("SIGKILL");
    await killed?.exited;
    first?.process.kill("SIGTERM");
    expect(await first?.line("not-last")).toBe("not-last");
    await first?.exited;
    expect(isLocked(membersLock)).toBe(true);
    last?.process.kill("SIGTERM");
    expect(await last?.line("last")).toBe("last");
    await last?.exited;
    expect(isLocked(membersLock)).toBe(false);
  });

  it("isLocked tells a live owner from a SIGKILLed one at once", async () => {
    const ownerLock = join(directory, "owner.lock");
    const owner = spawnFixture("hold.mjs", [ownerLock, "hold"]);
    await owner.line("acquired");
    expect(isLocked(ownerLock)).toBe(true);
    owner.process.kill("SIGKILL");
    await owner.exited;
    expect(isLocked(ownerLock)).toBe(false);
  });
});
