// Syscall names, numbers and strace's trace classes, from the native table
// (generated from the kernel's unistd header).
import { loadAddon } from './nativeAddon';

/** Bits of SyscallInfo.classes (native/src/syscall_table.h). */
export const SYSCALL_CLASSES: Record<string, number> = {
  file: 1 << 0,
  network: 1 << 1,
  process: 1 << 2,
  memory: 1 << 3,
  signal: 1 << 4,
  ipc: 1 << 5,
  desc: 1 << 6,
  creds: 1 << 7,
  clock: 1 << 8,
  stat: 1 << 9,
  lstat: 1 << 10,
  fstat: 1 << 11,
  '%stat': 1 << 12,
  statfs: 1 << 13,
  fstatfs: 1 << 14,
  '%statfs': 1 << 15,
  pure: 1 << 16,
};

export interface SyscallEntry {
  nr: number;
  name: string;
  nargs: number;
  classes: number;
}

export class SyscallTable {
  private readonly byNr: Array<SyscallEntry | undefined> = [];
  private readonly byName = new Map<string, SyscallEntry>();

  constructor(entries: SyscallEntry[]) {
    for (const e of entries) {
      this.byNr[e.nr] = e;
      this.byName.set(e.name, e);
    }
  }

  get entries(): SyscallEntry[] {
    return this.byNr.filter((e): e is SyscallEntry => e !== undefined);
  }

  /** strace names a number it does not know `syscall_0x1c0`. */
  name(nr: number): string {
    return this.byNr[nr]?.name ?? `syscall_0x${nr.toString(16)}`;
  }

  number(name: string): number | undefined {
    return this.byName.get(name)?.nr;
  }

  inClass(className: string): SyscallEntry[] {
    const bit = SYSCALL_CLASSES[className];
    if (bit === undefined) return [];
    return this.entries.filter((e) => (e.classes & bit) !== 0);
  }
}

let table: SyscallTable | undefined;

export function syscallTable(): SyscallTable {
  table ??= new SyscallTable(loadAddon().syscallTable());
  return table;
}
