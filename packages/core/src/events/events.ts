/**
 * Event payloads. Events are past-tense facts; every event carries its `code` (a bit of
 * {@link ALL_EVENTS}) and its lowercase `name`, so a listener can switch on either.
 */
/** `scheduler_start`, `scheduler_shutdown`, `scheduler_paused`, `scheduler_resumed`. */
export interface SchedulerLifecycleEvent {
  readonly code: number;
  readonly name:
    | "scheduler_start"
    | "scheduler_shutdown"
    | "scheduler_paused"
    | "scheduler_resumed";
}

/** `executor_added/removed`, `store_added/removed`, `all_tasks_removed` (alias `null` = all stores). */
export interface AliasEvent {
  readonly code: number;
  readonly name:
    | "executor_added"
    | "executor_removed"
    | "store_added"
    | "store_removed"
    | "all_tasks_removed";
  /** The executor or store alias; `null` for `all_tasks_removed` over every store. */
  readonly alias: string | null;
}

/** `task_added`, `task_removed`, `task_modified`. */
export interface TaskEvent {
  readonly code: number;
  readonly name: "task_added" | "task_removed" | "task_modified";
  readonly taskId: string;
  /** Alias of the store that holds the task; `null` while the task is pending. */
  readonly store: string | null;
}

/** `task_submitted`, `task_max_instances`: one submission of one or more run times. */
export interface TaskSubmissionEvent {
  readonly code: number;
  readonly name: "task_submitted" | "task_max_instances";
  readonly taskId: string;
  readonly store: string | null;
  /** The run times of this submission (one when coalesced: the latest). */
  readonly scheduledRunTimes: readonly Date[];
  /** How many run times were folded into this one by coalescing (0 when none). */
  readonly coalescedRunCount: number;
  /** `"scheduled"` from the loop, `"manual"` from `runTask()`. */
  readonly source: "scheduled" | "manual";
}

/** `task_executed`, `task_error`, `task_missed`: the outcome of one run time. */
export interface TaskExecutionEvent {
  readonly code: number;
  readonly name: "task_executed" | "task_error" | "task_missed";
  readonly taskId: string;
  readonly store: string | null;
  /** The trigger's canonical instant for this run. */
  readonly scheduledRunTime: Date;
  /** Id of the run (32 hex characters); for a missed run, the id it would have had. */
  readonly runId: string;
  /** What the function returned (`task_executed`). */
  readonly returnValue?: unknown;
  /** What the function threw (`task_error`). */
  readonly exception?: unknown;
  /** Milliseconds between the scheduled run time and when it started or was found missed. */
  readonly latenessMs: number;
  /** For `task_missed`: `"late"` (past the grace time) or `"lost"` (its claimer died). */
  readonly reason?: "late" | "lost";
}

/** `store_error`, `store_quarantined`, `store_lock_lost`, `scheduler_error`. */
export interface ProblemEvent {
  readonly code: number;
  readonly name: "store_error" | "store_quarantined" | "store_lock_lost" | "scheduler_error";
  /** Store alias, or `null` for `scheduler_error`. */
  readonly store: string | null;
  /** One line saying what happened. */
  readonly message: string;
  /** The underlying error, when there is one. */
  readonly error?: unknown;
  /** A file concerned (quarantined record, lock file), when there is one. */
  readonly path?: string;
  /** The task concerned, when there is one. */
  readonly taskId?: string;
}

/** Any event the scheduler dispatches; discriminate on `name` (or test `code` bits). */
export type AsynczEvent =
  | SchedulerLifecycleEvent
  | AliasEvent
  | TaskEvent
  | TaskSubmissionEvent
  | TaskExecutionEvent
  | ProblemEvent;

/** The payload interface whose `name` union includes `N` (distributes over the union `E`). */
type PayloadFor<E, N> = E extends { readonly name: infer M } ? (N extends M ? E : never) : never;

/** The payload type of the event named `N`. */
export type EventOf<N extends AsynczEvent["name"]> = PayloadFor<AsynczEvent, N>;

/** Maps each lowercase event name to its payload type, for `on(name, callback)`. */
export type EventPayloads = {
  [N in AsynczEvent["name"]]: EventOf<N>;
};

/** A listener; a listener that throws is logged and never breaks the scheduler. */
export type EventListener = (event: AsynczEvent) => void;
