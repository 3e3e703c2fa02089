import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors.js";
import { makeAsyncFunction, makeFunction } from "./make-function.js";

describe("makeFunction / makeAsyncFunction", () => {
  it("wraps a generator's next into a plain, anonymous function", () => {
    function* counter(): Generator<number, void, number> {
      let total = 0;
      while (true) total += yield total;
    }
    const generator = counter();
    generator.next(0);
    const send = makeFunction((v: number) => generator.next(v).value);
    expect(send.name).toBe("");
    expect(send(2)).toBe(2);
    expect(send(3)).toBe(5);
    expect(makeFunction(() => 1, "tick").name).toBe("tick");
  });

  it("wraps an async generator's next into an async function", async () => {
    async function* echo(): AsyncGenerator<string, void, string> {
      let last = "";
      while (true) last = yield last.toUpperCase();
    }
    const generator = echo();
    await generator.next("");
    const send = makeAsyncFunction((v: string) => generator.next(v));
    expect(Object.getPrototypeOf(send).constructor.name).toBe("AsyncFunction");
    expect((await send("a")).value).toBe("A");
  });

  it("rejects a non-function and an empty name", () => {
    expect(() => makeFunction(42 as never)).toThrow(InvalidArgumentError);
    expect(() => makeAsyncFunction(() => 1, "")).toThrow(/name = ""/);
  });
});
