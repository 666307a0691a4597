// `console: "integratedTerminal"`: a terminal for a program that needs a tty,
// opened by the client (DAP runInTerminal). Its shell writes the name of its
// tty and waits while a file exists; the program gets that tty as stdin,
// stdout and stderr, and removing the file ends the shell. Without one the
// program's output goes to the Debug Console.
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type RunInTerminal = (
  args: DebugProtocol.RunInTerminalRequestArguments,
  timeout: number,
  cb: (response: DebugProtocol.RunInTerminalResponse) => void,
) => void;

export class ProgramTerminal {
  /** Holds the file the terminal's shell waits on (removed at the end). */
  private dir?: string;

  /** initialize's supportsRunInTerminalRequest. */
  clientCanOpen = false;

  constructor(
    private readonly runInTerminal: RunInTerminal,
    private readonly console: (text: string) => void,
  ) {}

  /** The terminal's tty, or undefined (said on the Debug Console) when there is none. */
  async open(cwd: string, name: string): Promise<string | undefined> {
    if (!this.clientCanOpen) {
      this.console('Renacer: this client cannot open a terminal (runInTerminal); the program\'s output comes here\n');
      return undefined;
    }
    try {
      return await this.openTty(cwd, name);
    } catch (e) {
      this.console(`Renacer: no terminal for the program (${(e as Error).message}); its output comes here\n`);
      return undefined;
    }
  }

  private async openTty(cwd: string, name: string): Promise<string> {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renacer-tty-'));
    const file = path.join(this.dir, 'tty');
    const script = 'tty > "$1.tmp" && mv "$1.tmp" "$1" && while [ -e "$1" ]; do sleep 1; done';
    await new Promise<void>((resolve, reject) =>
      this.runInTerminal({ kind: 'integrated', title: `Renacer: ${name}`, cwd, args: ['/bin/sh', '-c', script, 'renacer-terminal', file] }, 10_000, (r) =>
        r.success ? resolve() : reject(new Error(r.message || 'the client refused')),
      ),
    );
    const deadline = Date.now() + 10_000;
    while (!fs.existsSync(file)) {
      if (Date.now() > deadline) throw new Error('the terminal did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
    const tty = fs.readFileSync(file, 'utf8').trim();
    if (!tty.startsWith('/dev/')) throw new Error(`the terminal has no tty (${tty})`);
    return tty;
  }

  close(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
