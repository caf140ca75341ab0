/**
 * The check runner of `scripts/test_package.ts`: named checks that each run and
 * report (a failure never stops the others), the commands they run with their
 * output as a user sees it, fresh npm projects, and the summary at the end.
 *
 * @module
 */

/** What a command printed, and whether it succeeded. */
export interface Output {
  ok: boolean;
  text: string;
}

/** Runs a command to completion; stdout and stderr together, as the user sees them. */
export async function run(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Output> {
  const out = await new Deno.Command(cmd, { args, cwd, env, stdin: "null" }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { ok: out.success, text: (decode(out.stdout) + decode(out.stderr)).trim() };
}

const results: [string, boolean, string][] = [];

/** Records one named check; a thrown error or a false result is a failure. */
export async function check(name: string, body: () => Promise<string | void>): Promise<void> {
  try {
    const detail = (await body()) ?? "";
    results.push([name, true, detail]);
    console.log(`ok    ${name}${detail ? ` (${detail})` : ""}`);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    results.push([name, false, message]);
    console.log(`FAIL  ${name}\n${message.replace(/^/gm, "      ")}`);
  }
}

/** Throws with the command's output unless it succeeded (and printed `expect`). */
export async function expectRun(
  cmd: string,
  args: string[],
  cwd: string,
  expect?: string,
  env: Record<string, string> = {},
): Promise<string> {
  const out = await run(cmd, args, cwd, env);
  if (!out.ok || (expect !== undefined && !out.text.split("\n").includes(expect))) {
    throw new Error(`$ ${cmd} ${args.join(" ")}\n${out.text.slice(-2000)}`);
  }
  return out.text;
}

/** A new npm project in `dir` with `deps` installed. */
export async function project(
  dir: string,
  deps: string[],
  flags: string[] = [],
  env: Record<string, string> = {},
): Promise<void> {
  Deno.mkdirSync(dir, { recursive: true });
  const pkg = { name: dir.split("/").at(-1), private: true, type: "module" };
  Deno.writeTextFileSync(`${dir}/package.json`, JSON.stringify(pkg) + "\n");
  const args = ["install", "--no-audit", "--no-fund", ...flags, ...deps];
  await expectRun("npm", args, dir, undefined, env);
}

/** Every file under `dir` (none when it does not exist). */
export function* walk(dir: string): Generator<string> {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  for (const entry of entries) {
    if (entry.isDirectory) yield* walk(`${dir}/${entry.name}`);
    else yield `${dir}/${entry.name}`;
  }
}

/** Prints how many checks passed and names each one that failed; whether all passed. */
export function reportChecks(): boolean {
  const failed = results.filter(([, ok]) => !ok);
  console.log(`\n${results.length - failed.length} of ${results.length} package checks passed`);
  for (const [name] of failed) console.log(`failed: ${name}`);
  return failed.length === 0;
}
