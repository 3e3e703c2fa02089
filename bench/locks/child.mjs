// Child process of the takeover benchmark.
//   node child.mjs hold-ours|hold-plf <lockPath>        take the lock, print "acquired", hold
//   node child.mjs wait-ours|wait-native|wait-plf <lockPath>
//                                                      print "waiting", wait, print "acquired <ns>"
import { closeSync, constants, openSync } from "node:fs";
import { createRequire } from "node:module";
import { FileLockProtected } from "@asyncz/locks";

const require = createRequire(import.meta.url);
const lockfile = require("proper-lockfile");
const native = require("fs-native-extensions");

const [mode, lockPath] = process.argv.slice(2);
const plfOptions = {
  lockfilePath: `${lockPath}.plf`,
  realpath: false,
  stale: 2000,
  onCompromised: () => {},
};

if (mode === "hold-ours") {
  await new FileLockProtected(lockPath).protected(true);
  hold();
} else if (mode === "hold-plf") {
  await lockfile.lock(lockPath, plfOptions);
  hold();
} else {
  process.stdout.write("waiting\n");
  if (mode === "wait-ours") {
    await new FileLockProtected(lockPath).protected(true, { timeout: 30 });
  } else if (mode === "wait-native") {
    // A blocking F_OFD_SETLKW in the libuv thread pool: the lower bound of takeover latency.
    const fd = openSync(lockPath, constants.O_RDWR | constants.O_CREAT, 0o600);
    await native.waitForLock(fd);
    closeSync(fd);
  } else {
    // proper-lockfile's own retry loop, polling every 10 ms like ours.
    await lockfile.lock(lockPath, {
      ...plfOptions,
      retries: { retries: 3000, minTimeout: 10, maxTimeout: 10, factor: 1 },
    });
  }
  process.stdout.write(`acquired ${process.hrtime.bigint()}\n`);
  process.exit(0);
}

function hold() {
  process.stdout.write("acquired\n");
  setInterval(() => {}, 60_000);
}
