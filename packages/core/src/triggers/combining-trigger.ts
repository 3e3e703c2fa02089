import { InvalidTriggerArgumentError, InvalidTriggerJSONError } from "../errors.js";
import type { Trigger, TriggerJSON } from "./trigger.js";
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
