/**
 * The README's plot, written as SVG by hand: cost per call against N, both axes
 * logarithmic, one line per runtime and mechanism.
 *
 * @module
 */
import { cost, type Samples, variantLabel } from "./_report.ts";

const COLOR: Record<string, string> = {
  c: "#222222",
  python: "#3572a5",
  deno: "#12a35a",
  node: "#d97706",
  "node-koffi": "#a16207",
  bun: "#db2777",
};

/** Mechanisms told apart by stroke: the selector bold, then solid, dashed, dotted. */
const STROKE: Record<string, { width: number; dash: string }> = {
  selectors: { width: 3.5, dash: "" },
  epoll: { width: 1.8, dash: "" },
  epoll_wait: { width: 1.8, dash: "" },
  poll: { width: 1.8, dash: "7 4" },
  select: { width: 1.8, dash: "2 3" },
  "selectors-async": { width: 2.5, dash: "8 3 2 3" },
  "epoll-async": { width: 1.5, dash: "8 3 2 3" },
  "raw-epoll_wait": { width: 1.2, dash: "1 2" },
};

/** The nearest 1-2-5 step at or below (`down`) or at or above `x`. */
function step(x: number, down: boolean): number {
  const e = Math.floor(Math.log10(x));
  const steps = [1, 2, 5, 10].map((m) => m * 10 ** e);
  return down ? steps.filter((v) => v <= x).pop()! : steps.find((v) => v >= x)!;
}

const escape = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/`/g, "");

function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

function timeLabel(ns: number): string {
  if (ns >= 1e6) return `${ns / 1e6} ms`;
  if (ns >= 1e3) return `${ns / 1e3} µs`;
  return `${ns} ns`;
}

/** The SVG document for the samples. */
export function plot(samples: Samples, env: Record<string, string>): string {
  const series = new Map<
    string,
    { runtime: string; mechanism: string; points: [number, number][] }
  >();
  for (const s of samples.values()) {
    const { id, runtime, mechanism, n } = s.variant;
    const ns = cost(samples, id, n);
    if (!Number.isFinite(ns)) continue;
    const entry = series.get(id) ?? { runtime, mechanism, points: [] };
    entry.points.push([n, ns]);
    series.set(id, entry);
  }
  const all = [...series.values()].flatMap((s) => s.points);
  const width = 1060, height = 640;
  const left = 80, right = 650, top = 50, bottom = 580;
  if (all.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="80"><text x="10" y="40">no data</text></svg>\n`;
  }
  const ns = all.map(([, y]) => y);
  const yLo = step(Math.min(...ns), true), yHi = step(Math.max(...ns), false);
  const xs = [...new Set(all.map(([x]) => x))].sort((a, b) => a - b);
  const xLo = Math.min(...xs) / 2, xHi = Math.max(...xs) * 2;
  const px = (n: number) =>
    left + ((Math.log10(n) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) *
      (right - left);
  const py = (v: number) =>
    bottom - ((Math.log10(v) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) *
      (bottom - top);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="24" font-size="16" font-weight="bold">Cost of one readiness call ` +
    `(timeout 0, 5 of N fds ready), median ns, log–log</text>`,
    `<text x="${left}" y="40" fill="#555">${escape(env.date ?? "")} · ${
      escape(env.cpu ?? "")
    }</text>`,
  ];
  for (const v of ticks(yLo, yHi)) {
    const y = py(v).toFixed(1);
    const major = Math.log10(v) % 1 === 0;
    out.push(
      `<line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="${
        major ? "#cccccc" : "#eeeeee"
      }"/>`,
      `<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${
        timeLabel(v)
      }</text>`,
    );
  }
  for (const n of xs) {
    const x = px(n).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${top}" y2="${bottom}" stroke="#eeeeee"/>`,
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle">N = ${
        n.toLocaleString("en-US")
      }</text>`,
    );
  }
  out.push(
    `<rect x="${left}" y="${top}" width="${right - left}" height="${
      bottom - top
    }" fill="none" stroke="#888"/>`,
    `<text x="${(left + right) / 2}" y="${
      bottom + 40
    }" text-anchor="middle">watched fds (log scale)</text>`,
    `<text transform="translate(18 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">` +
      `time per call (log scale)</text>`,
  );
  let legendY = top + 6;
  for (const [id, s] of series) {
    const color = COLOR[s.runtime] ?? "#777777";
    const stroke = STROKE[s.mechanism] ?? { width: 1.5, dash: "" };
    const dash = stroke.dash ? ` stroke-dasharray="${stroke.dash}"` : "";
    const pts = s.points.sort((a, b) => a[0] - b[0]).map(([n, v]) =>
      `${px(n).toFixed(1)},${py(v).toFixed(1)}`
    );
    out.push(
      `<polyline data-variant="${id}" points="${pts.join(" ")}" fill="none" stroke="${color}" ` +
        `stroke-width="${stroke.width}"${dash} stroke-linejoin="round"/>`,
      ...pts.map((p) => {
        const [x, y] = p.split(",");
        return `<circle cx="${x}" cy="${y}" r="2.5" fill="${color}"/>`;
      }),
      `<line x1="${right + 20}" x2="${
        right + 52
      }" y1="${legendY}" y2="${legendY}" stroke="${color}" ` +
        `stroke-width="${stroke.width}"${dash}/>`,
      `<text x="${right + 58}" y="${legendY}" dominant-baseline="middle">${
        escape(variantLabel(s.runtime, s.mechanism))
      }</text>`,
    );
    legendY += 19;
  }
  out.push("</svg>", "");
  return out.join("\n");
}
