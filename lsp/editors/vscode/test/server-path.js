// The extension without VS Code: a stand-in `vscode` module records what the
// extension shows. With the server missing, activation shows an error that
// names the setting and offers to open it; `findServer` finds a server on
// PATH or at a configured path.
const fs = require("fs");
const os = require("os");
const path = require("path");
const Module = require("module");

const shown = [];
const opened = [];
const vscode = {
  workspace: {
    getConfiguration: () => ({ get: () => process.env.TALLY_TEST_SETTING }),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  window: {
    showErrorMessage: async (message, ...choices) => {
      shown.push(message);
      return choices[0];
    },
    showInformationMessage: async () => undefined,
  },
  commands: {
    executeCommand: async (...args) => {
      opened.push(args);
    },
  },
};
// `vscode` exists only inside VS Code, and the language client needs it:
// both are stand-ins here (the extension's own logic is what is tested).
const stubs = {
  vscode,
  "vscode-languageclient/node": {
    LanguageClient: class {
      start() {
        throw new Error("no client in this test");
      }
    },
  },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request in stubs ? request : resolve.call(this, request, ...rest);
};
for (const [name, exports] of Object.entries(stubs)) {
  require.cache[name] = { id: name, filename: name, loaded: true, exports };
}

const extension = require("../extension.js");

function check(condition, message) {
  if (!condition) {
    console.error(`server-path: ${message}`);
    process.exit(1);
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tally-vscode-"));
  const server = path.join(dir, "tally-lsp");
  fs.writeFileSync(server, "#!/bin/sh\n");
  fs.chmodSync(server, 0o755);
  const oldPath = process.env.PATH;
  process.env.PATH = dir;
  check(extension.findServer("tally-lsp") === server, "tally-lsp is found on PATH");
  process.env.PATH = "";
  check(extension.findServer("tally-lsp") === undefined, "no server on an empty PATH");
  check(extension.findServer(server) === server, "a configured path is found");
  check(extension.findServer(path.join(dir, "nope")) === undefined, "a wrong path is not");

  process.env.TALLY_TEST_SETTING = "tally-lsp";
  const client = await extension.activate({ subscriptions: [] });
  process.env.PATH = oldPath;
  fs.rmSync(dir, { recursive: true, force: true });
  check(client === undefined, "no client without a server");
  check(shown.length === 1 && shown[0].includes("tally.server.path"), `the message: ${shown}`);
  check(
    opened.length === 1 && opened[0][0] === "workbench.action.openSettings",
    "Open Settings opens the setting"
  );
  console.log("server-path: the missing server is reported, with the setting");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
