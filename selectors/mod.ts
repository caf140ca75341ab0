/**
 * Python's `selectors` module for TypeScript (in progress: only the shared error
 * classes are exported so far).
 *
 * @module
 */
export * from "../errors.ts";
