// Per-burst breakdown of a run kept by `KEEP=1 node bench/cluster/one.mjs ...`.
//   node bench/cluster/bursts.mjs <root printed by one.mjs>
// One line per scheduled instant: runs, lateness p50 / p99 / max (the burst's end) in ms, and the
// runs per worker pid. Then the medians over the steady bursts (from the 6th on, complete ones).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2];
if (root === undefined) throw new Error("usage: node bench/cluster/bursts.mjs <root>");
const outDir = join(root, "out");
/** @type {Map<number, {late: number[], pids: Map<string, number>}>} */
const bursts = new Map();
for (const name of readdirSync(outDir)) {
  for (const line of readFileSync(join(outDir, name), "utf8").split("\n")) {
    if (line === "") continue;
    const [, sched, pid, started] = line.split(" ");
    const at = Number(sched);
    if (!Number.isFinite(at)) continue;
    let b = bursts.get(at);
    if (b === undefined) {
      b = { late: [], pids: new Map() };
      bursts.set(at, b);
    }
    b.late.push(Number(started) - at);
    b.pids.set(pid, (b.pids.get(pid) ?? 0) + 1);
  }
}
const pct = (s, p) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
const rows = [...bursts.entries()].sort((a, b) => a[0] - b[0]);
const t0 = rows[0]?.[0] ?? 0;
const steady = { p50: [], end: [] };
const full = Math.max(...rows.map(([, b]) => b.late.length));
rows.forEach(([at, b], i) => {
  const s = b.late.sort((x, y) => x - y);
  const p50 = pct(s, 50);
  const end = s[s.length - 1];
  if (i >= 5 && s.length === full) {
    steady.p50.push(p50);
    steady.end.push(end);
  }
  console.log(
    `+${String(at - t0).padStart(6)} ms  n=${String(s.length).padStart(5)}  p50 ${String(p50).padStart(4)}  p99 ${String(pct(s, 99)).padStart(4)}  end ${String(end).padStart(4)}  per worker ${[...b.pids.values()].join("/")}`,
  );
});
const median = (xs) =>
  pct(
    [...xs].sort((x, y) => x - y),
    50,
  );
console.log(
  JSON.stringify({
    steadyBursts: steady.p50.length,
    p50Median: median(steady.p50),
    endMedian: median(steady.end),
  }),
);
