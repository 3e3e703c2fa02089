import type { AsynczEvent, EventOf } from "../../events/events.js";
import { MemoryStore } from "../../stores/memory-store.js";
import { ManualClock } from "../../test-kit/manual-clock.js";
import { AsyncIOScheduler } from "../scheduler.js";
import type { SchedulerOptions } from "../scheduler-options.js";

/** 2030-01-01T12:00:00Z */
export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

/** A memory store that says it is persistent, to test the referencability rules. */
export class PersistentMemoryStore extends MemoryStore {
  override readonly persistent: boolean = true;
}

export interface Harness {
  readonly scheduler: AsyncIOScheduler;
  readonly clock: ManualClock;
  readonly events: AsynczEvent[];
  names(): string[];
}

export function harness(options: SchedulerOptions = {}): Harness {
  const clock = new ManualClock(T0);
  const scheduler = new AsyncIOScheduler({ timezone: "UTC", clock, ...options });
  const events: AsynczEvent[] = [];
  scheduler.addListener((event) => events.push(event));
  return { scheduler, clock, events, names: () => events.map((e) => e.name) };
}

export function ofName<N extends AsynczEvent["name"]>(
  events: readonly AsynczEvent[],
  name: N,
): Array<EventOf<N>> {
  return events.filter((e) => e.name === name) as Array<EventOf<N>>;
}
