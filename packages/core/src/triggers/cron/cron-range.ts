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

/** A set of small integers (0..63) as two 32-bit words: bit v of `lo` for v < 32, of `hi` above. */
export interface ValueSet {
  readonly lo: number;
  readonly hi: number;
}

/**
 * The set of values a list of ranges covers.
 *
 * @param ranges - parsed ranges (values 0..63)
 * @returns the set
 */
export function rangesToSet(ranges: readonly CronRange[]): ValueSet {
  let lo = 0;
  let hi = 0;
  for (const range of ranges) {
    for (let value = range.from; value <= range.to; value += range.step) {
      if (value < 32) lo |= 1 << value;
      else hi |= 1 << (value - 32);
    }
  }
  return { lo, hi };
}

/**
 * Whether a set holds a value.
 *
 * @param set - the set
 * @param value - 0..63
 * @returns true when present
 */
export function setHas(set: ValueSet, value: number): boolean {
  return value < 32 ? (set.lo & (1 << value)) !== 0 : (set.hi & (1 << (value - 32))) !== 0;
}

function popCount(word: number): number {
  let bits = word - ((word >>> 1) & 0x5555_5555);
  bits = (bits & 0x3333_3333) + ((bits >>> 2) & 0x3333_3333);
  return (Math.imul((bits + (bits >>> 4)) & 0x0f0f_0f0f, 0x0101_0101) >>> 24) & 0xff;
}

/**
 * Number of values in a set.
 *
 * @param set - the set
 * @returns 0..64
 */
export function setSize(set: ValueSet): number {
  return popCount(set.lo) + popCount(set.hi);
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
