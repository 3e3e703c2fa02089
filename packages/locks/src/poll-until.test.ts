import { describe, expect, it } from "vitest";
import { pollUntil, type WaitClock } from "./poll-until.js";

function fakeClock(): WaitClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

describe("pollUntil", () => {
  it("returns the first value without sleeping when the first attempt succeeds", async () => {
    const clock = fakeClock();
    await expect(pollUntil(() => 7, { clock })).resolves.toBe(7);
    expect(clock.sleeps).toEqual([]);
  });

  it("backs off 1, 2, 4, 8, then 10 ms", async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await pollUntil(() => (++calls === 8 ? "got" : undefined), { clock });
    expect(value).toBe("got");
    expect(clock.sleeps).toEqual([1, 2, 4, 8, 10, 10, 10]);
  });

  it("gives up at the deadline after a last attempt, never sleeping past it", async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await pollUntil(
      () => {
        calls += 1;
        return undefined;
      },
      { clock, timeoutMs: 20 },
    );
    expect(value).toBeUndefined();
    expect(clock.sleeps).toEqual([1, 2, 4, 8, 5]);
    expect(clock.now()).toBe(20);
    expect(calls).toBe(6);
  });

  it("with a zero timeout tries exactly once", async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await pollUntil(
      () => {
        calls += 1;
        return undefined;
      },
      { clock, timeoutMs: 0 },
    );
    expect(value).toBeUndefined();
    expect(calls).toBe(1);
  });

  it("rejects with the abort reason", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    let calls = 0;
    const promise = pollUntil(
      () => {
        calls += 1;
        if (calls === 3) controller.abort(new Error("stop"));
        return undefined;
      },
      { clock, signal: controller.signal },
    );
    await expect(promise).rejects.toThrow("stop");
  });

  it("propagates an error thrown by the attempt", async () => {
    await expect(
      pollUntil(
        () => {
          throw new Error("boom");
        },
        { clock: fakeClock() },
      ),
    ).rejects.toThrow("boom");
  });
});
