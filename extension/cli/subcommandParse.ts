// How `renacer SUBCOMMAND …` reads its command line (export, diff): commander
// without its process.exit, a usage error said once with strace's "Try …"
// hint, --help answered.
import { CommanderError, type Command } from 'commander';

export const EXIT_USAGE = 2;

/** Parses argv into `cmd`; undefined when done (help printed, or a usage error said), else the status to go on with. */
export function parseSubcommand(cmd: Command, argv: string[], say: (msg: string) => void, writeOut: (s: string) => void): number | undefined {
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut, outputError: () => {} });
  try {
    cmd.parse(argv, { from: 'user' });
    return undefined;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return 0;
    say(e.message.replace(/^error: /, ''));
    process.stderr.write(`Try '${cmd.name()} --help' for more information.\n`);
    return EXIT_USAGE;
  }
}
