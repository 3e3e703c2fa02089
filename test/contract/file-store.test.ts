import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { storeContract } from "@asyncz/core/test-kit";
import { FileStore } from "@asyncz/file-store";

const base = mkdtempSync(join(tmpdir(), "asyncz-contract-"));
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
