// Runs every benchmark suite (bench/<name>/index.mjs), or only those named on the command line:
//   npm run bench               all suites
//   npm run bench -- triggers   one suite
// Each suite prints a table and writes bench/results/<name>.json. Suites import the built
// packages, so `npm run bench` builds first.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const suites = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, "index.mjs")))
  .map((entry) => entry.name)
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

if (suites.length === 0) {
  console.error(`No benchmark suite matches ${wanted.join(", ") || "(any)"}.`);
  process.exit(1);
}
mkdirSync(join(here, "results"), { recursive: true });
let failed = 0;
for (const suite of suites) {
  console.log(`\n## ${suite}\n`);
  const result = spawnSync(process.execPath, ["--expose-gc", join(here, suite, "index.mjs")], {
    stdio: "inherit",
    env: { ...process.env, BENCH_RESULTS: join(here, "results", `${suite}.json`) },
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
