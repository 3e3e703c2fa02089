/**
 * Temporary directories for tests of stores that live on disk.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/**
 * A new empty directory under the OS temp folder, removed when the current test has finished
 * (after its `afterEach` hooks, so the stores or processes they stop are gone first). Call it
 * inside a test (vitest).
 *
 * @param prefix - the start of the directory's name, e.g. `"asyncz-claims-"`
 * @returns its path
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
