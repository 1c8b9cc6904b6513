// Starts tally-lsp for .tly files. Bundled by esbuild into dist/extension.js.
const fs = require("fs");
const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

/// The server executable: the `tally.server.path` setting, found as a path
/// or on PATH; undefined when it is not there.
function findServer(setting) {
  const isFile = (candidate) => {
    try {
      return fs.statSync(candidate).isFile();
    } catch {
      return false;
    }
  };
  if (setting.includes("/") || setting.includes("\\")) {
    return isFile(setting) ? setting : undefined;
  }
  const suffixes = process.platform === "win32" ? [".exe", ""] : [""];
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    for (const suffix of suffixes) {
      const candidate = path.join(dir, setting + suffix);
      if (dir && isFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

async function serverMissing(setting) {
  const open = "Open Settings";
  const choice = await vscode.window.showErrorMessage(
    `Tally: the language server \`${setting}\` was not found. Install it with ` +
      "`cargo install --path lsp` from the Tally repository, or set `tally.server.path` " +
      "to its location.",
    open
  );
  if (choice === open) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "tally.server.path");
  }
}

async function activate(context) {
  const setting = vscode.workspace.getConfiguration("tally").get("server.path") || "tally-lsp";
  const command = findServer(setting);
  if (!command) {
    await serverMissing(setting);
    return undefined;
  }
  const serverOptions = { run: { command }, debug: { command } };
  const clientOptions = { documentSelector: [{ scheme: "file", language: "tally" }] };
  client = new LanguageClient("tally", "Tally", serverOptions, clientOptions);
  context.subscriptions.push(client);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("tally.server.path")) {
        vscode.window.showInformationMessage("Tally: reload the window to use the new server path.");
      }
    })
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(`Tally: tally-lsp (${command}) did not start: ${error}`);
  }
  return client;
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate, findServer };
