// Starts tally-lsp for .tly files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("tally").get("server.path") || "tally-lsp";
  const serverOptions = { run: { command }, debug: { command } };
  const clientOptions = { documentSelector: [{ scheme: "file", language: "tally" }] };
  client = new LanguageClient("tally", "Tally", serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
