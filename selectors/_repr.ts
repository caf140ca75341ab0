/**
 * Python's `repr()` for the values that appear in selectors' messages
 * ("Invalid file object: …", "… is not registered").
 *
 * @module
 */
import { reprString } from "../_py/repr.ts";

const objectToString = Object.prototype.toString;

function reprNumber(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  const text = String(value);
  // JS writes 1e21 as "1e+21"; Python too. Below that both print plain digits.
  return text;
}

/**
 * `repr(value)` as CPython would print the matching Python value: numbers as
 * digits, strings quoted, `true`/`null` as `True`/`None`, arrays and plain objects
 * as lists and dicts, and other objects through their own `toString()` when their
 * class defines one, else `<ClassName object>`.
 */
export function pyRepr(value: unknown, depth = 0): string {
  switch (typeof value) {
    case "number":
      return reprNumber(value);
    case "bigint":
      return value.toString();
    case "string":
      return reprString(value);
    case "boolean":
      return value ? "True" : "False";
    case "undefined":
      return "None";
    case "symbol":
      return value.toString();
    case "function":
      return `<function ${value.name || "<anonymous>"}>`;
  }
  if (value === null) return "None";
  if (depth > 3) return "...";
  if (Array.isArray(value)) {
    return `[${value.map((item) => pyRepr(item, depth + 1)).join(", ")}]`;
  }
  const toString = (value as { toString?: unknown }).toString;
  if (typeof toString === "function" && toString !== objectToString) {
    try {
      return String(toString.call(value));
    } catch {
      // A toString that throws must not hide the error being reported.
    }
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      `${reprString(k)}: ${pyRepr(v, depth + 1)}`
    );
    return `{${items.join(", ")}}`;
  }
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return `<${typeof name === "string" && name !== "" ? name : "object"} object>`;
}
