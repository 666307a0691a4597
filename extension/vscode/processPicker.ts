// "Attach to Process": a quick pick of the user's processes from /proc.
import * as fs from 'node:fs';
import * as vscode from 'vscode';

interface ProcessEntry {
  pid: number;
  name: string;
  cmdline: string;
}

export function listProcesses(): ProcessEntry[] {
  const uid = process.getuid?.();
  const out: ProcessEntry[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pid = Number(d);
    if (pid === process.pid) continue;
    try {
      const st = fs.statSync(`/proc/${d}`);
      if (uid !== undefined && uid !== 0 && st.uid !== uid) continue;
      const cmdline = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      if (!cmdline) continue; // kernel threads
      const name = fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim();
      out.push({ pid, name, cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => b.pid - a.pid);
}

export async function pickProcess(): Promise<string | undefined> {
  const items = listProcesses().map((p) => ({ label: `${p.name}`, description: String(p.pid), detail: p.cmdline, pid: p.pid }));
  const choice = await vscode.window.showQuickPick(items, { placeHolder: 'Process to attach to', matchOnDescription: true, matchOnDetail: true });
  return choice ? String(choice.pid) : undefined;
}
