/**
 * The numbers of the comparison's report: medians and means of the samples, and how
 * a count or a ratio is printed.
 *
 * @module
 */

/** The median of some numbers (NaN for none). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The mean of `xs` (NaN for none): the server CPU per round trip, whose samples are
 * counted in 10 ms clock ticks, so that one round's tick more or less weighs a
 * seventh, as the total over all rounds would have it.
 */
export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** A count, grouped in thousands (`–` when not finite). */
export const num = (x: number, digits = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
/** A ratio, `1.23×` (`–` when not finite). */
export const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : "–");
