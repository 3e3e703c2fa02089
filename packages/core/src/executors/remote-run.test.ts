import { describe, expect, it } from "vitest";
import { ExecutorModuleLoadError } from "../errors.js";
import { deserializeError, serializeError } from "./remote-run.js";

describe("error transport", () => {
  it("keeps name, message, stack and cloneable own properties across a structured clone", () => {
    const error = Object.assign(new RangeError("out of range"), { code: "E_X", socket: () => 1 });
    const back = deserializeError(structuredClone(serializeError(error))) as Error & {
      code?: string;
    };
    expect(back).toBeInstanceOf(Error);
    expect(back.name).toBe("RangeError");
    expect(back.message).toBe("out of range");
    expect(back.stack).toBe(error.stack);
    expect(back.code).toBe("E_X");
    expect("socket" in back).toBe(false);
  });

  it("rebuilds the executor's own module error as its class", () => {
    const error = new ExecutorModuleLoadError("file:///x.mjs", "run", "the module has no export");
    const back = deserializeError(structuredClone(serializeError(error)));
    expect(back).toBeInstanceOf(ExecutorModuleLoadError);
    expect((back as ExecutorModuleLoadError).code).toBe("EXECUTOR_MODULE_LOAD_FAILED");
    expect((back as Error).message).toBe(error.message);
  });

  it("carries thrown non-Error values as they are", () => {
    expect(deserializeError(structuredClone(serializeError("plain")))).toBe("plain");
    expect(deserializeError(structuredClone(serializeError({ n: 1 })))).toEqual({ n: 1 });
  });
});
