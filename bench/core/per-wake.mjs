// The fixed CPU cost of one wake-up of a scheduler, apart from the runs it starts: ONE job every
// 100 ms (10 wakes per second, each long enough for asyncz's two-step timer), main-thread CPU
// (Linux schedstat, ns) and all-thread CPU per wake, net of the same process idle, after a
// warm-up. The same code for every library that has intervals with a start time or not.
//   node --expose-gc bench/core/per-wake.mjs <scheduler> [warm-up s = 10] [measured s = 10]
import { readFileSync } from "node:fs";
import { adapters } from "./adapters.mjs";

const [name = "asyncz", warmS = "10", measureS = "10"] = process.argv.slice(2);
const make = adapters[name];
if (make === undefined) throw new Error(`unknown scheduler ${name}`);
const PERIOD_S = 0.1;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const STAT = `/proc/self/task/${process.pid}/schedstat`;
const mainUs = () => Number(readFileSync(STAT, "utf8").split(" ")[0]) / 1000;
const allUs = () => {
  const cpu = process.cpuUsage();
  return cpu.user + cpu.system;
};

const s = await make();
await sleep(200);
let idleMain = mainUs();
let idleAll = allUs();
await sleep(2000);
idleMain = (mainUs() - idleMain) / 2;
idleAll = (allUs() - idleAll) / 2;
let wakes = 0;
const firstAt = Math.ceil(Date.now() / 1000) * 1000 + 1000;
const add = s.interval(
  PERIOD_S,
  () => {
    wakes += 1;
  },
  firstAt,
);
if (add !== null && typeof add === "object" && typeof add.then === "function") await add;
await sleep(firstAt - Date.now() + Number(warmS) * 1000 + 50);
const wakesBefore = wakes;
const mainBefore = mainUs();
const allBefore = allUs();
await sleep(Number(measureS) * 1000);
const main = mainUs() - mainBefore - idleMain * Number(measureS);
const all = allUs() - allBefore - idleAll * Number(measureS);
const n = wakes - wakesBefore;
await s.stop();
console.log(
  JSON.stringify({
    scheduler: name,
    wakes: n,
    mainUsPerWake: Number((main / n).toFixed(1)),
    allUsPerWake: Number((all / n).toFixed(1)),
    idleMainUsPerSecond: Math.round(idleMain),
  }),
);
process.exit(0);
