import { describe, expect, it } from "vitest";
import { callInContext, getRunContext, LazyRunContext, type RunContext } from "./run-context.js";

describe("LazyRunContext", () => {
  it("creates its signal on first read and follows every source", () => {
    const a = new AbortController();
    const b = new AbortController();
    const context = new LazyRunContext("t", new Date(0), "r", [a.signal, b.signal]);
    const signal = context.signal;
    expect(context.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    b.abort("b went");
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe("b went");
  });

  it("starts aborted when a source already is", () => {
    const a = new AbortController();
    a.abort("early");
    const context = new LazyRunContext("t", new Date(0), "r", [a.signal]);
    expect(context.signal.reason).toBe("early");
  });

  it("stops following its sources once disposed", () => {
    const a = new AbortController();
    const context = new LazyRunContext("t", new Date(0), "r", [a.signal]);
    const signal = context.signal;
    context.dispose();
    a.abort("late");
    expect(signal.aborted).toBe(false);
  });
});

describe("getRunContext", () => {
  const context = new LazyRunContext("t", new Date(0), "r", []);
  const read = (): RunContext | undefined => getRunContext();

  it("is undefined outside a run", () => {
    expect(getRunContext()).toBeUndefined();
  });

  it("follows an async function across awaits and into what it starts", async () => {
    let later: Promise<RunContext | undefined> = Promise.resolve(undefined);
    const task = async (): Promise<(RunContext | undefined)[]> => {
      const before = read();
      await Promise.resolve();
      later = new Promise((resolve) => queueMicrotask(() => resolve(read())));
      return [before, read()];
    };
    const seen = (await callInContext(context, task, [])) as unknown[];
    expect(seen).toEqual([context, context]);
    expect(await later).toBe(context);
    expect(getRunContext()).toBeUndefined();
  });

  it("keeps the async path for bound async functions", async () => {
    async function task(this: unknown): Promise<RunContext | undefined> {
      await Promise.resolve();
      return read();
    }
    await expect(callInContext(context, task.bind(null), [])).resolves.toBe(context);
  });

  it("gives a plain function its context during the synchronous call only", async () => {
    let leftBehind: Promise<RunContext | undefined> = Promise.resolve(context);
    const task = (a: unknown): unknown[] => {
      leftBehind = Promise.resolve().then(read);
      return [a, read()];
    };
    expect(callInContext(context, task as (...args: readonly unknown[]) => unknown, [1])).toEqual([
      1,
      context,
    ]);
    expect(getRunContext()).toBeUndefined();
    expect(await leftBehind).toBeUndefined();
  });

  it("restores the outer context after a nested synchronous run", () => {
    const inner = new LazyRunContext("inner", new Date(0), "r2", []);
    const seen = callInContext(context, () => [callInContext(inner, read, []), read()], []);
    expect(seen).toEqual([inner, context]);
  });
});
