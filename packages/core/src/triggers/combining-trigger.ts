import { InvalidTriggerArgumentError, InvalidTriggerJSONError } from "../errors.js";
import { applyJitter, unjitter } from "./jitter.js";
import type { SeekableTrigger } from "./seekable-trigger.js";
import type { Trigger, TriggerContext, TriggerJSON } from "./trigger.js";
import { argumentsOf, checkEnvelope, TRIGGER_JSON_VERSION } from "./trigger-json.js";
import { checkKnownArguments, parseJitter } from "./trigger-options.js";

/** Arguments of `AndTrigger` (`"and"`) and `OrTrigger` (`"or"`). */
export interface CombiningTriggerOptions {
  /** The child triggers (at least one). */
  readonly triggers: readonly Trigger[];
  /**
   * Largest random delay added to each combined fire time, in seconds.
   *
   * @defaultValue none
   */
  readonly jitter?: number;
}

/** Validated arguments of a combining trigger. */
export interface CombiningParts {
  readonly triggers: readonly Trigger[];
  readonly jitter: number | null;
}

function isTrigger(value: unknown): value is Trigger {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<Trigger>).getNextTriggerTime === "function" &&
    typeof (value as Partial<Trigger>).toJSON === "function"
  );
}

/**
 * Validates the arguments of a combining trigger.
 *
 * @param alias - `"and"` or `"or"`
 * @param options - the arguments
 * @returns the children and jitter
 * @throws InvalidTriggerArgumentError when `triggers` is not a non-empty array of triggers;
 *   UnknownTriggerArgumentError for unknown arguments
 */
export function parseCombining(alias: string, options: CombiningTriggerOptions): CombiningParts {
  checkKnownArguments(alias, options, ["triggers", "jitter"]);
  const triggers: unknown = options.triggers;
  if (!Array.isArray(triggers) || triggers.length === 0) {
    throw new InvalidTriggerArgumentError(
      "triggers",
      triggers,
      "expected a non-empty array of triggers",
    );
  }
  triggers.forEach((child: unknown, index) => {
    if (!isTrigger(child)) {
      throw new InvalidTriggerArgumentError(
        `triggers[${index}]`,
        child,
        "expected a trigger object",
      );
    }
  });
  return { triggers: [...(triggers as Trigger[])], jitter: parseJitter(options.jitter) };
}

/**
 * Reads the arguments of a persisted combining trigger.
 *
 * @param json - the persisted form
 * @param alias - `"and"` or `"or"`
 * @param childFromJSON - reads one child (the registry's `triggerFromJSON`)
 * @returns constructor arguments
 * @throws InvalidTriggerJSONError for a wrong envelope or a `triggers` member that is not an array
 */
export function combiningFromJSON(
  json: unknown,
  alias: string,
  childFromJSON: (child: unknown) => Trigger,
): CombiningTriggerOptions {
  const args = argumentsOf(checkEnvelope(json, alias));
  const children: unknown = args.triggers;
  if (!Array.isArray(children))
    throw new InvalidTriggerJSONError("triggers", children, "expected an array");
  return {
    ...args,
    triggers: children.map((child: unknown) => childFromJSON(child)),
  } as CombiningTriggerOptions;
}

/**
 * JSON of a combining trigger.
 *
 * @param alias - `"and"` or `"or"`
 * @param parts - children and jitter
 * @returns the persisted form, children nested
 */
export function combiningToJSON(alias: string, parts: CombiningParts): TriggerJSON {
  return {
    type: alias,
    version: TRIGGER_JSON_VERSION,
    triggers: parts.triggers.map((child) => child.toJSON()),
    jitter: parts.jitter,
  };
}

/**
 * What `and` and `or` share: validated children and jitter, jitter applied to (and recovered
 * from) the combined fire time, and the JSON and text forms. A subclass only says how the
 * children's fire times combine ({@link CombiningTrigger.firstFireFrom}).
 */
export abstract class CombiningTrigger implements SeekableTrigger {
  /** The alias of this trigger (`"and"` or `"or"`). */
  readonly type: "and" | "or";
  readonly #parts: CombiningParts;

  /**
   * @param type - `"and"` or `"or"`
   * @param options - `{ triggers, jitter }`
   * @throws InvalidTriggerArgumentError; UnknownTriggerArgumentError
   */
  constructor(type: "and" | "or", options: CombiningTriggerOptions) {
    this.type = type;
    this.#parts = parseCombining(type, options);
  }

  /** The child triggers. */
  get triggers(): readonly Trigger[] {
    return this.#parts.triggers;
  }

  /**
   * @param previous - the previous (possibly jittered) fire time, or `null`
   * @param now - the current instant
   * @param context - zone and seed, passed to the children
   * @returns the first combined fire time after `previous` (or at/after `now` the first time),
   *   jittered, or `null` when there is none
   * @throws UnknownTimezoneError when `context.timezone` is not a known zone
   */
  getNextTriggerTime(previous: Date | null, now: Date, context?: TriggerContext): Date | null {
    const seed = context?.seed ?? "";
    const jitter = this.#parts.jitter;
    const from =
      previous === null
        ? now.getTime()
        : unjitter(previous.getTime(), jitter, seed, Number.POSITIVE_INFINITY, (at) =>
            this.firstFireFrom(at, context),
          ) + 1;
    const next = this.firstFireFrom(from, context);
    return next === null
      ? null
      : new Date(applyJitter(next, jitter, seed, Number.POSITIVE_INFINITY));
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns the first combined, un-jittered fire time `>= from`, or `null`
   */
  abstract firstFireFrom(from: number, context?: TriggerContext): number | null;

  /** @returns `{ type, version: 1, triggers: [...], jitter }` */
  toJSON(): TriggerJSON {
    return combiningToJSON(this.type, this.#parts);
  }

  /** @returns for example `or[cron[hour='8'], date[2026-03-01 08:00:00 UTC]]` */
  toString(): string {
    return `${this.type}[${this.#parts.triggers.map(String).join(", ")}]`;
  }
}
