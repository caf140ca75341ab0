/**
 * What a body added to a table of path counters (`fastPaths` in select/_internal.ts,
 * `bytePaths` in os/_fd.ts): the counters that changed, by how much. The fast-path
 * tests compare it with the paths a call should have taken.
 */
export function counted<K extends string>(
  counters: Record<K, number>,
  body: () => void,
): Partial<Record<K, number>> {
  const before = { ...counters };
  body();
  const added: Partial<Record<K, number>> = {};
  for (const name of Object.keys(counters) as K[]) {
    const n = counters[name] - before[name];
    if (n !== 0) added[name] = n;
  }
  return added;
}
