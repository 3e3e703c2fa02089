// bench/peers worker: BullMQ job schedulers on Redis. Every worker upserts the same N job
// schedulers (upsert is BullMQ's documented way to declare a repeating job from every process)
// and runs a Worker on the queue. The schedule is the cron pattern "* * * * * *" (whole seconds,
// like the other peers; `every: 1000` would put the slots at the first registration's
// millisecond). The scheduled time of a run is in its job id: repeat:<scheduler id>:<millis>.
// With "spread", job i runs every interval from startAt + spreadOffsetMs(i) instead (`every` with
// a `startDate`: BullMQ keeps a re-upserted scheduler's slot), the run times of bench/cluster's
// SPREAD=1 — a steady stream rather than one burst per second.
// Usage: node bullmq-worker.mjs <outDir> <tasks> <intervalS> <startAtMs> <mode> <redisUrl> <concurrency> [spread]
import { Queue, Worker } from "bullmq";
import { spreadOffsetMs } from "../../../test/fixtures/file-store/cluster-harness.mjs";
import { onTerm, ready, recorder } from "./record.mjs";

const [outDir, tasksArg, intervalArg, startAtArg, , url, concurrencyArg, spread] =
  process.argv.slice(2);
const record = recorder(outDir);
const { hostname, port } = new URL(url);
const connection = { host: hostname, port: Number(port), maxRetriesPerRequest: null };

const queue = new Queue("peers", { connection });
for (let i = 0; i < Number(tasksArg); i++) {
  await queue.upsertJobScheduler(
    `t-${i}`,
    spread === "spread"
      ? {
          every: Number(intervalArg) * 1000,
          startDate: Number(startAtArg) + spreadOffsetMs(i, Number(tasksArg), Number(intervalArg)),
        }
      : { pattern: intervalArg === "1" ? "* * * * * *" : `*/${intervalArg} * * * * *` },
    // Completed jobs are removed, as a production scheduler would configure it (otherwise Redis
    // keeps every run's job hash).
    { name: "job", data: {}, opts: { removeOnComplete: true, removeOnFail: true } },
  );
}
const worker = new Worker(
  "peers",
  async (job) => {
    const id = String(job.id);
    const cut = id.lastIndexOf(":");
    record(id.slice("repeat:".length, cut), id.slice(cut + 1));
  },
  { connection, concurrency: Number(concurrencyArg) },
);
await worker.waitUntilReady();
onTerm(async () => {
  await worker.close();
  await queue.close();
});
ready(outDir);
