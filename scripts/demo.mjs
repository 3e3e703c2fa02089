// `npm run demo`: a real node:cluster of workers sharing one file store. See scripts/demo/.
import { parseOptions, USAGE } from "./demo/options.mjs";
import { runPrimary } from "./demo/primary.mjs";

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
} else {
  process.exitCode = await runPrimary(options);
}
