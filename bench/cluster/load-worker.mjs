// Child of bench/cluster: opens a FileStore on a prepared directory and reports start-up time,
// memory, and (optionally) its CPU use while idle. Usage: node load-worker.mjs <dir> <idleMs>
import { silentLogger } from "@asyncz/core";
import { FileStore } from "@asyncz/file-store";

const [directory, idleArg] = process.argv.slice(2);
globalThis.gc?.();
const rss0 = process.memoryUsage().rss;
const heap0 = process.memoryUsage().heapUsed;
const store = new FileStore({ directory });
const t0 = performance.now();
await store.start({
  alias: "default",
  owner: `bench-${process.pid}`,
  lockPath: undefined,
  logger: silentLogger,
  emit() {},
});
const loadMs = performance.now() - t0;
globalThis.gc?.();
const memory = process.memoryUsage();
let idleCpuPct = null;
const idleMs = Number(idleArg);
if (idleMs > 0) {
  // Keep the process alive the way a scheduler would (the store's own timers are unref'd).
  const keep = setInterval(() => {}, 60_000);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, idleMs));
  const cpu = process.cpuUsage(c0);
  idleCpuPct = ((cpu.user + cpu.system) / 1000 / (performance.now() - w0)) * 100;
  clearInterval(keep);
}
const t1 = performance.now();
const due = await store.getDueTasks(new Date());
const dueMs = performance.now() - t1;
await store.shutdown();
process.stdout.write(
  JSON.stringify({
    loadMs,
    rssMB: (memory.rss - rss0) / 1e6,
    heapMB: (memory.heapUsed - heap0) / 1e6,
    idleCpuPct,
    dueQueryMs: dueMs,
    due: due.length,
  }),
);
