// A throwaway extension that exists only to prove the end-to-end harness
// (test/e2e/codeServerHarness.ts): each thing it shows a person is something the
// harness has a helper to read back from the browser.
//   - command "Renacer Sample: Annotate Line 2" (renacerSample.annotate [line]):
//     an end-of-line decoration on that line (1-based, default 2) of the active editor
//   - a status-bar item: "Sample: idle", then "Sample: annotated line N"
//   - a hover on .txt files: "Sample hover: line L, column C, word W"
//   - debug type "renacer-sample": an inline debug adapter that prints two lines
//     to the Debug Console and ends
'use strict';
const vscode = require('vscode');

/** @type {{ uri: string, line: number, contentText: string }[]} */
const applied = [];

function annotationText(line) {
  return `\u2190 ${line * 3} syscalls (sample)`;
}

function activate(context) {
  const decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground') },
  });
  const status = vscode.window.createStatusBarItem('renacerSample.status', vscode.StatusBarAlignment.Left, 1000);
  status.name = 'Renacer Sample';
  status.text = '$(pulse) Sample: idle';
  status.show();
  context.subscriptions.push(decoration, status);

  context.subscriptions.push(
    vscode.commands.registerCommand('renacerSample.annotate', (line) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw new Error('Renacer Sample: no active editor');
      const n = typeof line === 'number' ? line : 2;
      const contentText = annotationText(n);
      const end = editor.document.lineAt(n - 1).range.end;
      editor.setDecorations(decoration, [
        { range: new vscode.Range(end, end), renderOptions: { after: { contentText } } },
      ]);
      const uri = editor.document.uri.toString();
      for (let i = applied.length - 1; i >= 0; i--) if (applied[i].uri === uri) applied.splice(i, 1);
      applied.push({ uri, line: n, contentText });
      status.text = `$(pulse) Sample: annotated line ${n}`;
      return { line: n, contentText };
    }),
  );

  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ scheme: 'file', pattern: '**/*.txt' }, {
      provideHover(document, position) {
        const range = document.getWordRangeAtPosition(position);
        const word = range ? document.getText(range) : '';
        return new vscode.Hover(
          new vscode.MarkdownString(
            `**Sample hover**: line ${position.line + 1}, column ${position.character + 1}, word \`${word}\``,
          ),
          range,
        );
      },
    }),
  );

  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory('renacer-sample', {
      createDebugAdapterDescriptor(session) {
        return new vscode.DebugAdapterInlineImplementation(new SampleDebugAdapter(session.configuration));
      },
    }),
  );

  return {
    /** What the annotate command has applied, per document (for in-host tests). */
    appliedDecorations: () => applied.slice(),
    statusText: () => status.text,
  };
}

// The smallest debug adapter that shows text in the Debug Console: answers the
// DAP requests VS Code sends, prints on launch, then ends the session.
class SampleDebugAdapter {
  constructor(configuration) {
    this.configuration = configuration;
    this.seq = 1;
    this.emitter = new vscode.EventEmitter();
    this.onDidSendMessage = this.emitter.event;
  }
  send(message) {
    this.emitter.fire({ seq: this.seq++, ...message });
  }
  respond(request, body) {
    this.send({ type: 'response', request_seq: request.seq, success: true, command: request.command, body });
  }
  handleMessage(message) {
    if (message.type !== 'request') return;
    switch (message.command) {
      case 'initialize':
        this.respond(message, { supportsConfigurationDoneRequest: true });
        this.send({ type: 'event', event: 'initialized' });
        break;
      case 'launch': {
        this.respond(message);
        const greeting = this.configuration.greeting || 'hello';
        setTimeout(() => {
          this.send({ type: 'event', event: 'output', body: { category: 'console', output: `Sample adapter says: ${greeting}\n` } });
          this.send({ type: 'event', event: 'output', body: { category: 'stdout', output: 'second line from the program\n' } });
          this.send({ type: 'event', event: 'terminated', body: {} });
        }, 50);
        break;
      }
      case 'threads':
        this.respond(message, { threads: [] });
        break;
      default:
        this.respond(message);
    }
  }
  dispose() {
    this.emitter.dispose();
  }
}

function deactivate() {}

module.exports = { activate, deactivate };
