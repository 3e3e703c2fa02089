/**
 * Wrappers that turn any callable (typically a generator's `next`) into a plain function the
 * scheduler can run: the lifecycle-task pattern of SPEC §2.
 */
import { InvalidArgumentError } from "../errors.js";

function named<F extends (...args: never[]) => unknown>(wrapper: F, name: string | undefined): F {
  if (name !== undefined) {
    if (typeof name !== "string" || name.length === 0)
      throw new InvalidArgumentError("name", name, "must be a non-empty string");
    Object.defineProperty(wrapper, "name", { value: name });
  }
  return wrapper;
}

/**
 * Wraps a callable in a plain synchronous function.
 *
 * @param fn - any callable, e.g. `(v) => generator.next(v)`
 * @param name - a name for the wrapper (makes it registrable); anonymous by default, which only a
 *   memory store accepts
 * @returns a function that calls `fn` with its arguments and returns what it returns
 * @throws {@link InvalidArgumentError} when `fn` is not a function or `name` is empty
 */
export function makeFunction<A extends unknown[], R>(
  fn: (...args: A) => R,
  name?: string,
): (...args: A) => R {
  if (typeof fn !== "function") throw new InvalidArgumentError("fn", fn, "must be a function");
  // An arrow function would take the variable's name; this one stays anonymous unless named.
  const wrapper = [(...args: A): R => fn(...args)][0] as (...args: A) => R;
  return named(wrapper, name);
}

/**
 * Wraps a callable in an `async` function (awaited by the scheduler), e.g. an async generator's
 * `next`.
 *
 * @param fn - any callable returning a value or a promise
 * @param name - a name for the wrapper; anonymous by default
 * @returns an async function resolving to what `fn` returns
 * @throws {@link InvalidArgumentError} when `fn` is not a function or `name` is empty
 */
export function makeAsyncFunction<A extends unknown[], R>(
  fn: (...args: A) => R | Promise<R>,
  name?: string,
): (...args: A) => Promise<R> {
  if (typeof fn !== "function") throw new InvalidArgumentError("fn", fn, "must be a function");
  const wrapper = [async (...args: A): Promise<R> => await fn(...args)][0] as (
    ...args: A
  ) => Promise<R>;
  return named(wrapper, name);
}
