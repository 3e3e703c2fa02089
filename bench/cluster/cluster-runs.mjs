// The scheduler-level scenarios of bench/cluster: N workers running interval tasks on one file
// store, and takeover after SIGKILL. They need AsyncIOScheduler from @asyncz/core.
import * as core from "@asyncz/core";

export async function runClusterScenarios({ results, table }) {
  if (typeof core.AsyncIOScheduler !== "function") {
    results.cluster = "skipped: @asyncz/core has no AsyncIOScheduler in this build";
    table("Cluster runs: SKIPPED (no AsyncIOScheduler in this build of @asyncz/core)", []);
    return;
  }
}
