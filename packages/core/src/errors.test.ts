import { describe, expect, it } from "vitest";
import { AsynczError, describeValue, InvalidArgumentError } from "./errors.js";

describe("InvalidArgumentError", () => {
  it("names the field and the value in its message", () => {
    const error = new InvalidArgumentError("maxInstances", 0, "must be a positive integer");
    expect(error).toBeInstanceOf(AsynczError);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.name).toBe("InvalidArgumentError");
    expect(error.message).toBe("Invalid maxInstances = 0: must be a positive integer");
  });
});

describe("describeValue", () => {
  it("quotes strings and shortens long renderings", () => {
    expect(describeValue("*/0")).toBe('"*/0"');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue("x".repeat(500))).toHaveLength(120);
    expect(describeValue(() => 1)).toBe("[function anonymous]");
    expect(describeValue(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(describeValue(Number.NaN)).toBe("NaN");
    expect(describeValue(-2.5)).toBe("-2.5");
  });
});
