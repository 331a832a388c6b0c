import { WebSocketServer } from 'ws';
import { openWsTransport } from '/work/wt-b/host/transport/wsTransport.ts';
import { RpcConnection } from '/work/wt-b/shared/rpc/connection.ts';
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise(r => wss.on('listening', r));
wss.on('connection', (ws) => ws.close(1013, 'too many clients (max 64)'));
const port = (wss.address() as any).port;
for (let i = 0; i < 5; i++) {
  const t = await openWsTransport(`ws://127.0.0.1:${port}`);
  console.log('isClosed at open', t.isClosed);
  const c = new RpcConnection(t);
  try { await c.request('host/info'); } catch (e) { console.log((e as Error).message); }
  await new Promise(r => setTimeout(r, 50));
}
wss.close();
