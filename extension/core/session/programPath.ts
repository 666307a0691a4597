// Finds the program to launch the way strace does: a name with a slash is a
// path; otherwise search PATH for an executable regular file.
import * as fs from 'node:fs';
import * as path from 'node:path';

export class ProgramNotFoundError extends Error {}

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveProgram(program: string, envPath: string | undefined, cwd: string): string {
  if (program === '') throw new ProgramNotFoundError('no program to trace');
  if (program.includes('/')) {
    const abs = path.resolve(cwd, program);
    if (!fs.existsSync(abs)) throw new ProgramNotFoundError(`Can't stat '${program}': No such file or directory`);
    return abs;
  }
  for (const dir of (envPath ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    const candidate = path.resolve(cwd, dir || '.', program);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new ProgramNotFoundError(`Can't stat '${program}': No such file or directory`);
}
