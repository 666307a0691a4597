// The test OTLP receiver as a process of its own (for benchmarks: the
// receiver's decoding then runs beside the exporter instead of inside it).
// Started with IPC (child_process.fork); sends {type:'ready', httpUrl, grpcUrl},
// answers {type:'stats'} with span and request counts, stops on {type:'stop'}.
import { startReceiver } from './otlpReceiver';

async function main(): Promise<void> {
  const receiver = await startReceiver({ keep: 'structure' });
  const send = (m: unknown) => process.send?.(m);
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'stats') {
      const structure = receiver.spans;
      send({
        type: 'stats',
        spans: receiver.spanCount,
        requests: receiver.requests.length,
        decodedBytes: receiver.requests.reduce((n, r) => n + r.decodedBytes, 0),
        root: structure.filter((s) => s.attributes['renacer.syscalls.traced'] !== undefined).map((s) => s.attributes).at(-1),
      });
    } else if (m.type === 'reset') {
      receiver.spans.length = 0;
      receiver.requests.length = 0;
      receiver.spanCount = 0;
      send({ type: 'reset' });
    } else if (m.type === 'stop') {
      await receiver.stop();
      process.exit(0);
    }
  });
  send({ type: 'ready', httpUrl: receiver.httpUrl, grpcUrl: receiver.grpcUrl });
}

void main();
