/**
 * Listener registry and dispatch. Kept cheap on the hot path: {@link EventDispatcher.wants} lets the
 * scheduler skip building an event nobody listens to.
 */
import { InvalidArgumentError } from "../errors.js";
import type { Logger } from "../scheduler/logger.js";
import { ALL_EVENTS, EVENT_CODES, type EventName } from "./event-codes.js";
import type { AsynczEvent, EventListener, EventPayloads } from "./events.js";

interface Registration {
  readonly callback: EventListener;
  readonly mask: number;
}

/** Holds listeners and calls the matching ones; a throwing listener is logged and skipped. */
export class EventDispatcher {
  #registrations: Registration[] = [];
  #mask = 0;
  readonly #logger: () => Logger;

  /** @param logger - where listener failures are logged (read at dispatch time) */
  constructor(logger: () => Logger) {
    this.#logger = logger;
  }

  /**
   * @param code - an event code
   * @returns whether any listener's mask includes `code`
   */
  wants(code: number): boolean {
    return (this.#mask & code) !== 0;
  }

  /**
   * @param callback - called with each matching event
   * @param mask - OR of event codes
   * @throws {@link InvalidArgumentError} when `callback` is not a function or `mask` not an integer
   */
  add(callback: EventListener, mask: number = ALL_EVENTS): void {
    if (typeof callback !== "function")
      throw new InvalidArgumentError("callback", callback, "must be a function");
    if (!Number.isInteger(mask) || mask <= 0)
      throw new InvalidArgumentError(
        "mask",
        mask,
        "must be a positive integer (OR of event codes)",
      );
    this.#registrations = [...this.#registrations, { callback, mask }];
    this.#mask |= mask;
  }

  /**
   * @param callback - a listener added before
   * @returns whether it was found (the first registration of it is removed)
   */
  remove(callback: EventListener): boolean {
    const index = this.#registrations.findIndex((r) => r.callback === callback);
    if (index < 0) return false;
    this.#registrations = this.#registrations.filter((_, i) => i !== index);
    this.#mask = this.#registrations.reduce((mask, r) => mask | r.mask, 0);
    return true;
  }

  /**
   * @param name - lowercase event name
   * @param callback - called with the typed payload
   * @returns a function that unsubscribes
   * @throws {@link InvalidArgumentError} for an unknown event name
   */
  on<N extends EventName>(name: N, callback: (event: EventPayloads[N]) => void): () => void {
    const code = EVENT_CODES[name];
    if (code === undefined)
      throw new InvalidArgumentError(
        "eventName",
        name,
        `must be one of ${Object.keys(EVENT_CODES).join(", ")}`,
      );
    const listener: EventListener = (event) => callback(event as EventPayloads[N]);
    this.add(listener, code);
    return () => {
      this.remove(listener);
    };
  }

  /** @param event - dispatched to every listener whose mask includes its code */
  dispatch(event: AsynczEvent): void {
    if ((this.#mask & event.code) === 0) return;
    // The array is replaced on change, so listeners added or removed during dispatch do not
    // disturb this loop.
    for (const { callback, mask } of this.#registrations) {
      if ((mask & event.code) === 0) continue;
      try {
        callback(event);
      } catch (error) {
        this.#logger().error({ err: error, event: event.name }, "Error notifying listener");
      }
    }
  }
}
