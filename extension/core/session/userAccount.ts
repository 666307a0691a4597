// strace -u USERNAME: the account the program runs as, from the system's
// user and group databases (/etc/passwd, /etc/group), as getpwnam and
// getgrouplist read them on a machine without NSS modules.
import * as fs from 'node:fs';

export class UserAccountError extends Error {}

export interface UserAccount {
  uid: number;
  gid: number;
  /** Supplementary groups: the primary group and every group that lists the user. */
  groups: number[];
}

function lines(file: string): string[][] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
  } catch {
    return [];
  }
}

/** The account of `name` (or of a numeric uid); throws UserAccountError when there is none. */
export function userAccount(name: string, files = { passwd: '/etc/passwd', group: '/etc/group' }): UserAccount {
  const entry = lines(files.passwd).find((f) => f[0] === name || (/^\d+$/.test(name) && f[2] === name));
  if (!entry) throw new UserAccountError(`-u: cannot find user '${name}'`);
  const [user, , uid, gid] = entry;
  const groups = new Set<number>([Number(gid)]);
  for (const g of lines(files.group)) if ((g[3] ?? '').split(',').includes(user)) groups.add(Number(g[2]));
  return { uid: Number(uid), gid: Number(gid), groups: [...groups] };
}
