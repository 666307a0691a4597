// Buffered, synchronous writes to a file descriptor. Synchronous on purpose:
// a slow terminal or disk holds the session (and so the tracee) back instead
// of growing a queue in memory.
import * as fs from 'node:fs';

export class OutputWriter {
  private parts: string[] = [];
  private size = 0;

  private constructor(
    private readonly fd: number,
    private readonly ownsFd: boolean,
  ) {}

  static toFd(fd: number): OutputWriter {
    return new OutputWriter(fd, false);
  }

  /** `append`: strace's -A (the file is not truncated). */
  static toFile(file: string, append = false): OutputWriter {
    return new OutputWriter(fs.openSync(file, append ? 'a' : 'w'), true);
  }

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off);
      } catch (e) {
        // A non-blocking descriptor someone else shares: wait for room.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
          continue;
        }
        throw e;
      }
    }
  }

  close(): void {
    this.flush();
    if (this.ownsFd) fs.closeSync(this.fd);
  }
}
