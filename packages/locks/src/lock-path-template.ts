import { UnknownPlaceholderError } from "./errors.js";
import { processGroupId } from "./process-group.js";

/** Values a lock-path template can refer to. */
export interface LockPathValues {
  /**
   * Name substituted for `{store}` (for example the scheduler's store alias). Characters other
   * than letters, digits, `.`, `_` and `-` become `_`, so a store name can never add a path
   * segment or escape the lock directory.
   */
  readonly store?: string;
}

/** The placeholders a lock-path template may use. */
export const LOCK_PATH_PLACEHOLDERS = ["pgrp", "ppid", "store"] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/**
 * Expands a lock-path template: `{pgrp}` becomes the process group id (shared by every worker of
 * one `cluster` primary or pm2 daemon, see {@link processGroupId}), `{ppid}` the parent process id,
 * `{store}` the sanitised store name.
 *
 * @param template - the path template, for example `"/tmp/asyncz_{pgrp}_{store}.lock"`
 * @param values - values for `{store}`
 * @returns the expanded path
 * @throws {@link UnknownPlaceholderError} when the template names any other placeholder, or uses
 *   `{store}` without `values.store`
 */
export function expandLockPath(template: string, values: LockPathValues = {}): string {
  return template.replace(PLACEHOLDER, (match, name: string) => {
    switch (name) {
      case "pgrp":
        return String(processGroupId());
      case "ppid":
        return String(process.ppid);
      case "store":
        if (values.store === undefined) {
          throw new UnknownPlaceholderError(template, match, "needs the `store` option");
        }
        return sanitizeSegment(values.store);
      default:
        throw new UnknownPlaceholderError(
          template,
          match,
          `is unknown (known: ${LOCK_PATH_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")})`,
        );
    }
  });
}

function sanitizeSegment(value: string): string {
  const safe = value.replace(/[^A-Za-z0-9._-]/g, "_");
  if (safe === "") return "_";
  return safe === "." || safe === ".." ? safe.replaceAll(".", "_") : safe;
}
