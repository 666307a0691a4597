// What the CLI printed, as one message for an editor's notification: without
// the `renacer: ` and `warning: ` prefixes that make sense on a terminal
// (the notification already says it is Renacer's, and that it failed).
export function cliMessage(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim().replace(/^renacer:\s*/, '').replace(/^(warning|error):\s*/i, ''))
    .filter((l) => l !== '');
  return lines.join(' ') || 'no output';
}
