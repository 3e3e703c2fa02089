// Command-line options of the cluster demo. Bad input exits with a message naming the option and
// the value, before any process is forked.

/** What `npm run demo -- --help` prints. */
export const USAGE = `Usage: npm run demo -- [--duration <seconds>] [--workers <n>] [--json]

  --duration <s>  how long tasks are scheduled, in seconds (default 20, at least 6)
  --workers <n>   cluster workers to fork (default 4, 2 to 16)
  --json          no live view; the last stdout line is one JSON verdict
  --help          this text`;

const DEFAULTS = { durationS: 20, workers: 4, json: false, help: false };

/**
 * Parses the demo's arguments.
 *
 * @param {readonly string[]} argv - the arguments after the script name
 * @returns {{ durationS: number, workers: number, json: boolean, help: boolean }}
 * @throws {Error} naming the option and the value when an option is unknown or out of range
 */
export function parseOptions(argv) {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = splitFlag(argv[i] ?? "");
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`option ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--duration":
        options.durationS = integerIn(flag, value(), 6, 3600);
        break;
      case "--workers":
        options.workers = integerIn(flag, value(), 2, 16);
        break;
      case "--json":
        options.json = true;
        break;
      case "--help":
      case "-h":
        options.help = true;
        break;
      default:
        throw new Error(`unknown option ${JSON.stringify(argv[i])}\n\n${USAGE}`);
    }
  }
  return options;
}

function splitFlag(arg) {
  const eq = arg.indexOf("=");
  return eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function integerIn(flag, raw, min, max) {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(
      `option ${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return n;
}
