/**
 * What the packed npm package says of itself, checked by `scripts/test_package.ts`:
 * the files the tarball ships, package.json's fields and the README's links and
 * instructions, as npm shows them.
 *
 * @module
 */

/** What `npm pack --json` reports of the tarball. */
export interface Packed {
  filename: string;
  unpackedSize: number;
  files: { path: string }[];
}

/** What the package says of itself: package.json fields and README links. */
export function checkMetadata(
  packed: Packed,
  pkg: Record<string, unknown>,
  readme: string,
): string {
  const problems: string[] = [];
  const paths = packed.files.map((f) => f.path);
  for (const bad of paths.filter((p) => /\.map$|^tests\/|^examples\//.test(p))) {
    problems.push(`ships ${bad}`);
  }
  const exports = pkg.exports as Record<string, Record<string, string>>;
  for (const target of Object.values(exports).flatMap((e) => Object.values(e))) {
    if (!paths.includes(target.replace(/^\.\//, ""))) problems.push(`export ${target} not shipped`);
  }
  if (typeof pkg.description !== "string" || pkg.description === "") {
    problems.push("no description");
  }
  if ("os" in pkg || "cpu" in pkg) problems.push("os/cpu fields (EBADPLATFORM elsewhere)");
  const repository = (pkg.repository as { url?: string } | undefined)?.url;
  if (repository !== undefined && !/^(git\+)?(https?|ssh|git):\/\//.test(repository)) {
    problems.push(`repository is not a URL: ${repository}`);
  }
  const node = (pkg.engines as Record<string, string>).node;
  if (node !== ">=20.19") problems.push(`engines.node ${node}: require() of ESM needs 20.19`);
  for (const link of readme.matchAll(/\]\(([^)]*)\)/g)) {
    if (!/^https:\/\//.test(link[1]!)) problems.push(`README link ${link[1]} is dead on npm`);
  }
  if (/!\[/.test(readme)) problems.push("README shows an image");
  for (const line of readme.split("\n").filter((l) => /\bdeno (task|run)\b/.test(l))) {
    problems.push(`README tells npm users: ${line.trim()}`);
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return `${paths.length} files, ${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked`;
}
