// The launched program's stdout and stderr (pipes the tracer made), read in
// step with the trace: a write(1, …) event takes the bytes it wrote, so the
// program's output sits beside the call that printed it. Bytes no traced
// call claims (the filter leaves write out, a descendant writes) are handed
// over once they have waited a tick. The pipes are read continuously (the
// program never waits on a full pipe) and, when a call's bytes have not
// arrived yet, at once.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { StringDecoder } from 'node:string_decoder';

import type { SyscallEvent } from './events';

export type OutputStream = 'stdout' | 'stderr';

const WRITE_CALLS = new Set(['write', 'writev', 'pwrite64', 'pwritev', 'pwritev2']);

class Pipe {
  private pending: Buffer[] = [];
  private size = 0;
  /** Bytes that were already pending at the last tick. */
  private stale = 0;
  private readonly decoder = new StringDecoder('utf8');
  private open = true;
  private readonly chunk = Buffer.alloc(65536);
  private readonly socket: net.Socket;
  /** Resolves when the write end is closed by every writer, or the pipe is closed here. */
  readonly ended: Promise<void>;

  constructor(private readonly fd: number) {
    this.socket = new net.Socket({ fd, readable: true, writable: false });
    this.socket.on('data', (b: Buffer) => {
      this.pending.push(b);
      this.size += b.length;
    });
    this.ended = new Promise((resolve) => {
      this.socket.on('end', resolve);
      this.socket.on('close', resolve);
      this.socket.on('error', () => resolve());
    });
    this.ended.then(() => (this.open = false));
  }

  private fill(): void {
    while (this.open) {
      let n: number;
      try {
        n = fs.readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') this.open = false;
        return;
      }
      if (n === 0) {
        this.open = false;
        return;
      }
      this.pending.push(Buffer.from(this.chunk.subarray(0, n)));
      this.size += n;
    }
  }

  /** Up to n bytes, as text. */
  take(n: number): string {
    if (this.size < n) this.fill();
    const want = Math.min(n, this.size);
    if (want === 0) return '';
    const all = Buffer.concat(this.pending);
    this.pending = want < all.length ? [all.subarray(want)] : [];
    this.size -= want;
    this.stale = Math.max(0, this.stale - want);
    return this.decoder.write(all.subarray(0, want));
  }

  /** What waited since the last tick (everything, when `all`). */
  takeStale(all: boolean): string {
    this.fill();
    const n = all ? this.size : this.stale;
    const text = this.take(n) + (all && !this.open ? this.decoder.end() : '');
    this.stale = this.size;
    return text;
  }

  close(): void {
    this.open = false;
    this.socket.destroy();
  }
}

export class ProgramOutput {
  private readonly pipes = new Map<OutputStream, Pipe>();

  constructor(fds: { stdout?: number; stderr?: number }) {
    if (fds.stdout !== undefined) this.pipes.set('stdout', new Pipe(fds.stdout));
    if (fds.stderr !== undefined) this.pipes.set('stderr', new Pipe(fds.stderr));
  }

  /** The bytes a write to the program's fd 1 or 2 put in the pipe. */
  writtenBy(ev: SyscallEvent): { stream: OutputStream; text: string } | undefined {
    if (!WRITE_CALLS.has(ev.name) || ev.ret === null || ev.ret <= 0) return undefined;
    const fd = parseInt(ev.args[0] ?? '', 10);
    const stream = fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : undefined;
    const pipe = stream && this.pipes.get(stream);
    if (!pipe) return undefined;
    const text = pipe.take(ev.ret);
    return text ? { stream: stream!, text } : undefined;
  }

  /** Output no call claimed since the last tick; with `all`, everything left (the end of the run). */
  unclaimed(all = false): Array<{ stream: OutputStream; text: string }> {
    const out: Array<{ stream: OutputStream; text: string }> = [];
    for (const [stream, pipe] of this.pipes) {
      const text = pipe.takeStale(all);
      if (text) out.push({ stream, text });
    }
    return out;
  }

  /** Every writer is gone (or a little while has passed: a descendant may hold the pipes open). */
  async ended(timeoutMs: number): Promise<void> {
    await Promise.race([Promise.all([...this.pipes.values()].map((p) => p.ended)), new Promise((r) => setTimeout(r, timeoutMs))]);
  }

  close(): void {
    for (const p of this.pipes.values()) p.close();
  }
}
