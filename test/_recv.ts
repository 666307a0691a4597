import { startReceiver } from '/work/wt/otlp/test/support/otlpReceiver';
(async () => { const r = await startReceiver({ keep: 'structure' }); console.log(r.httpPort, r.grpcPort); setInterval(() => {}, 1000); })();
