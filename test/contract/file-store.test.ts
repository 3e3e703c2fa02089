import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeContract } from "@asyncz/core/test-kit";
import { FileStore } from "@asyncz/file-store";
import { afterAll } from "vitest";

// One folder for the stores of both suites (made when the file loads, where scratchDir, which
// removes its folder when a test ends, does not fit): removed after the last test.
const base = mkdtempSync(join(tmpdir(), "asyncz-contract-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

storeContract("FileStore", () => new FileStore({ directory: join(base, `store-${++counter}`) }), {
  makePeer: (store) => new FileStore({ directory: store.directory }),
  cleanup: (store) => rmSync(store.directory, { recursive: true, force: true }),
});

storeContract(
  "FileStore (no fs.watch: journals and polling only)",
  () => new FileStore({ directory: join(base, `store-${++counter}`), watch: false }),
  {
    makePeer: (store) => new FileStore({ directory: store.directory, watch: false }),
    cleanup: (store) => rmSync(store.directory, { recursive: true, force: true }),
  },
);
