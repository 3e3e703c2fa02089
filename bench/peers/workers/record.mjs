// The record protocol shared by bench/peers' worker programs (and by
// test/fixtures/file-store/cluster-worker.mjs): one synchronous append per run started.
import { openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Returns record(jobId, scheduledMs): appends "<id> <scheduled> <pid> <now>" to <pid>.runs. */
export function recorder(outDir) {
  const fd = openSync(join(outDir, `${process.pid}.runs`), "a");
  return (id, scheduledMs, startedMs = Date.now()) => {
    writeSync(fd, `${id} ${scheduledMs} ${process.pid} ${startedMs}\n`);
  };
}

/** Tells the harness that this worker has registered its jobs and is running. */
export function ready(outDir) {
  writeFileSync(join(outDir, `${process.pid}.ready`), "");
}

/** On SIGTERM: run close (bounded to 5 s), then exit 0. */
export function onTerm(close) {
  process.once("SIGTERM", () => {
    const timer = setTimeout(() => process.exit(0), 5000);
    Promise.resolve()
      .then(close)
      .catch((error) => console.error(error))
      .finally(() => {
        clearTimeout(timer);
        process.exit(0);
      });
  });
}
