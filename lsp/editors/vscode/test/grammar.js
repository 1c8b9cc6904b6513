// Tokenizes the repository's examples with the TextMate grammar (as VS Code
// does, through vscode-textmate and its Oniguruma) and compares each line's
// tokens with test/snapshots/<example>.txt. UPDATE=1 rewrites the snapshots.
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = __dirname;
const examples = path.join(here, "..", "..", "..", "..", "examples");
const snapshots = path.join(here, "snapshots");

async function main() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope) => {
      if (scope !== "source.tally") return null;
      const file = path.join(here, "..", "syntaxes", "tally.tmLanguage.json");
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
  const grammar = await registry.loadGrammar("source.tally");
  const update = process.env.UPDATE === "1";
  fs.mkdirSync(snapshots, { recursive: true });
  let failed = 0;
  const names = fs.readdirSync(examples).filter((f) => f.endsWith(".tly")).sort();
  for (const name of names) {
    const text = fs.readFileSync(path.join(examples, name), "utf8");
    let stack = vsctm.INITIAL;
    const out = [];
    for (const line of text.split("\n")) {
      const result = grammar.tokenizeLine(line, stack);
      for (const token of result.tokens) {
        const written = line.slice(token.startIndex, token.endIndex);
        if (written.trim() === "") continue;
        const scopes = token.scopes.filter((s) => s !== "source.tally").join(" ");
        out.push(`${JSON.stringify(written)} ${scopes || "-"}`);
      }
      stack = result.ruleStack;
    }
    const snapshot = path.join(snapshots, name.replace(/\.tly$/, ".txt"));
    const actual = out.join("\n") + "\n";
    if (update || !fs.existsSync(snapshot)) {
      fs.writeFileSync(snapshot, actual);
      continue;
    }
    if (fs.readFileSync(snapshot, "utf8") !== actual) {
      console.error(`grammar: ${name} tokenizes differently from ${snapshot} (UPDATE=1 to accept)`);
      failed += 1;
    }
  }
  // Declared function names are declarations, not calls.
  const declared = grammar.tokenizeLine("pub fn transfer(ledger: Int) -> Int {", vsctm.INITIAL);
  const name = declared.tokens.find((t) => t.startIndex === 7);
  if (!name || !name.scopes.includes("entity.name.function.tally")) {
    console.error(`grammar: a declared function name has scopes ${name && name.scopes}`);
    failed += 1;
  }
  if (failed > 0) process.exit(1);
  console.log(`grammar: ${names.length} examples tokenized as in the snapshots`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
