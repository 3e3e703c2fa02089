// The job bree runs in a new worker thread each time: it reports when it started and exits.
import { parentPort } from "node:worker_threads";

parentPort?.postMessage({ started: Date.now() });
parentPort?.postMessage("done");
