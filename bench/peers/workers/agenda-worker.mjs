// bench/peers worker: agenda 6 on its PostgreSQL or Redis backend. Every worker defines N job
// names and declares each with `every("* * * * * *", name)` (a single job document per name, as
// the agenda docs show), then starts processing. Agenda locks a due job document (PostgreSQL:
// FOR UPDATE SKIP LOCKED; Redis: WATCH/MULTI) before running it.
// The slot a run belongs to is the job's nextRunAt when agenda starts running it (Job.run sets
// lastRunAt and computes the next nextRunAt before calling the handler), captured by wrapping
// Job.prototype.run; the start time is when the handler is called.
// Usage: node agenda-worker.mjs <outDir> <tasks> <intervalS> <startAtMs> <mode> <backend> <url> <processEveryMs> <maxConcurrency>
import { Agenda, Job } from "agenda";
import { onTerm, ready, recorder } from "./record.mjs";

const [outDir, tasksArg, , , , backendName, url, processEveryArg, maxConcurrencyArg] =
  process.argv.slice(2);
const record = recorder(outDir);

const slots = new WeakMap();
const run = Job.prototype.run;
Job.prototype.run = function runAndKeepSlot() {
  slots.set(this, this.attrs.nextRunAt ? new Date(this.attrs.nextRunAt).getTime() : null);
  return run.call(this);
};

let backend;
if (backendName === "postgres") {
  const { PostgresBackend } = await import("@agendajs/postgres-backend");
  backend = new PostgresBackend({ connectionString: url, name: `w-${process.pid}` });
} else {
  const { RedisBackend } = await import("@agendajs/redis-backend");
  backend = new RedisBackend({ connectionString: url });
}
const agenda = new Agenda({
  backend,
  name: `w-${process.pid}`,
  processEvery: Number(processEveryArg),
  maxConcurrency: Number(maxConcurrencyArg),
});
agenda.on("error", (error) => console.error(`agenda ${process.pid}:`, error.message));
const names = Array.from({ length: Number(tasksArg) }, (_, i) => `t-${i}`);
for (const name of names)
  agenda.define(name, async (job) => {
    record(name, slots.get(job));
  });
// Declared before processing starts (with the array form, which saves the job documents
// concurrently): declaring 1,000 jobs one by one while already processing took this worker over
// a minute in a smoke run.
await agenda.every("* * * * * *", names);
await agenda.start();
onTerm(() => agenda.stop());
ready(outDir);
