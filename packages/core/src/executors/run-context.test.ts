import { describe, expect, it } from "vitest";
import { getRunContext, LazyRunContext, runWithContext } from "./run-context.js";

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
  it("is undefined outside a run and the context inside one", () => {
    const context = new LazyRunContext("t", new Date(0), "r", []);
    expect(getRunContext()).toBeUndefined();
    expect(runWithContext(context, () => getRunContext())).toBe(context);
    expect(getRunContext()).toBeUndefined();
  });
});
