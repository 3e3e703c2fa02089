import { describe, expect, it } from "vitest";
import {
  AsynczError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
  ExecutorShutdownError,
  ExecutorWorkerCrashedError,
} from "../errors.js";

describe("executor errors", () => {
  it("name the task and the fix", () => {
    const error = new ExecutorModuleRefRequiredError("pool", "nightly", "crunch");
    expect(error).toBeInstanceOf(AsynczError);
    expect(error.code).toBe("EXECUTOR_MODULE_REF_REQUIRED");
    expect(error.message).toContain('task "nightly"');
    expect(error.message).toContain('"./jobs.js:crunch"');
  });

  it("say how a worker died and what could not be cloned", () => {
    const crashed = new ExecutorWorkerCrashedError("child process", "t", null, "SIGKILL");
    expect(crashed.message).toBe(
      'The child process running task "t" exited before the run finished (exit code none, signal SIGKILL).',
    );
    const clone = new ExecutorNotCloneableError(
      "t",
      "args",
      new Error("() => 1 could not be cloned."),
    );
    expect(clone.message).toContain("Invalid args of task");
    expect(clone.message).toContain("could not be cloned");
    expect(new ExecutorShutdownError("pool", "t", "refused").code).toBe("EXECUTOR_SHUT_DOWN");
  });
});
