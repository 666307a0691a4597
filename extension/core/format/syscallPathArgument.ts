// The file path a syscall names, read back from its strace-rendered
// arguments, so the trace viewer can search and filter by path.
//
// Which syscalls take a path is strace's %file class (the `file` column of
// native/tools/syscall-signatures-x86_64.tsv; a unit test keeps this list equal
// to it). Their first quoted argument is the path (for two-path calls such as
// rename and link, the first one; xattr names come after the path).

export const PATH_SYSCALLS: ReadonlySet<string> = new Set([
  'open', 'stat', 'lstat', 'access', 'execve', 'truncate', 'getcwd', 'chdir', 'rename', 'mkdir', 'rmdir',
  'creat', 'link', 'unlink', 'symlink', 'readlink', 'chmod', 'chown', 'lchown', 'utime', 'mknod', 'uselib',
  'statfs', 'pivot_root', 'chroot', 'acct', 'mount', 'umount2', 'swapon', 'swapoff', 'quotactl', 'setxattr',
  'lsetxattr', 'getxattr', 'lgetxattr', 'listxattr', 'llistxattr', 'removexattr', 'lremovexattr', 'utimes',
  'inotify_add_watch', 'openat', 'mkdirat', 'mknodat', 'fchownat', 'futimesat', 'newfstatat', 'unlinkat',
  'renameat', 'linkat', 'symlinkat', 'readlinkat', 'fchmodat', 'faccessat', 'utimensat', 'fanotify_mark',
  'name_to_handle_at', 'renameat2', 'execveat', 'statx', 'open_tree', 'move_mount', 'fsconfig', 'fspick',
  'openat2', 'faccessat2', 'mount_setattr',
]);

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '"': '"', '\\': '\\' };

/**
 * The text of a string argument as strace renders it (`"/etc/x"`,
 * `"/very/long"...`, `"a\x01b"`), without quotes and escapes; undefined when
 * the argument is not a string (an address that could not be read, NULL).
 */
export function unquoteStraceString(arg: string): string | undefined {
  if (arg.length < 2 || arg[0] !== '"') return undefined;
  // strace appends `...` after the closing quote when it cut the string (-s).
  const end = arg.endsWith('"...') ? arg.length - 4 : arg.endsWith('"') ? arg.length - 1 : -1;
  if (end < 1) return undefined;
  const body = arg.slice(1, end);
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return SIMPLE_ESCAPES[e] ?? e;
  });
}

/** The path a call of `name` with these rendered arguments names, if any. */
export function syscallPath(name: string, args: readonly string[]): string | undefined {
  if (!PATH_SYSCALLS.has(name)) return undefined;
  for (const a of args) {
    if (a.startsWith('"')) return unquoteStraceString(a);
  }
  return undefined;
}
