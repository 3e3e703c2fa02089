import { InvalidCronExpressionError } from "../../errors.js";

/** An inclusive range of values with a step: `a`, `a-b`, `a-b/n`, `a/n`, `*`, `*\/n`. */
export interface CronRange {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

/** How one field reads its items. */
export interface RangeSyntax {
  /** The field name, for error messages. */
  readonly field: string;
  /** The whole expression given for the field, for error messages. */
  readonly expression: unknown;
  readonly min: number;
  readonly max: number;
  /** Lowercase names → values (`jan` → 1), or `null`. */
  readonly names: Readonly<Record<string, number>> | null;
}

const RANGE = /^(\*|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:\/([0-9]*))?$/;

function readValue(syntax: RangeSyntax, text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  return syntax.names?.[text] ?? null;
}

/**
 * Parses one comma-separated item of a cron field into a range, validating it against the
 * field's bounds. Names are allowed in ranges and single values.
 *
 * @param syntax - the field's bounds and names
 * @param item - one item, already lowercased and trimmed
 * @returns the range, or `null` when the item is not range syntax (the caller tries others)
 * @throws InvalidCronExpressionError for out-of-range values, reversed ranges, zero or oversized steps
 */
export function parseRange(syntax: RangeSyntax, item: string): CronRange | null {
  const match = RANGE.exec(item);
  if (match === null) return null;
  const [, head, first, last, stepText] = match;
  const { field, expression, min, max } = syntax;
  const star = head === "*";
  const from = star || first === undefined ? min : readValue(syntax, first);
  const to = star
    ? max
    : last === undefined
      ? stepText === undefined
        ? from
        : max
      : readValue(syntax, last);
  // Not a number or a known name: let the caller try its other forms (`last`, `3rd fri`, `L`).
  if (from === null || to === null) return null;
  if (from < min) {
    throw new InvalidCronExpressionError(
      field,
      expression,
      `the first value (${from}) is lower than the minimum value (${min})`,
    );
  }
  if (to > max || from > max) {
    throw new InvalidCronExpressionError(
      field,
      expression,
      `the last value (${Math.max(from, to)}) is higher than the maximum value (${max})`,
    );
  }
  if (from > to) {
    throw new InvalidCronExpressionError(
      field,
      expression,
      `the minimum value in a range (${from}) must not be higher than the maximum (${to})`,
    );
  }
  let step = 1;
  if (stepText !== undefined) {
    step = stepText === "" ? 0 : Number(stepText);
    if (step <= 0)
      throw new InvalidCronExpressionError(
        field,
        expression,
        `the step value (${stepText || "empty"}) must be a positive integer`,
      );
    if (step > to - from && to > from) {
      throw new InvalidCronExpressionError(
        field,
        expression,
        `the step value (${step}) is higher than the total range of the expression (${to - from})`,
      );
    }
  }
  return { from, to, step };
}

/**
 * All values of a list of ranges, ascending and without duplicates.
 *
 * @param ranges - parsed ranges
 * @returns the values
 */
export function expandRanges(ranges: readonly CronRange[]): number[] {
  const values = new Set<number>();
  for (const range of ranges)
    for (let value = range.from; value <= range.to; value += range.step) values.add(value);
  return [...values].sort((a, b) => a - b);
}

/** Month names, `jan` = 1. */
export const MONTH_NAMES: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** Weekday names in asyncz numbering, `mon` = 0 .. `sun` = 6. */
export const WEEKDAY_NAMES: Readonly<Record<string, number>> = {
  mon: 0,
  tue: 1,
  wed: 2,
  thu: 3,
  fri: 4,
  sat: 5,
  sun: 6,
};
