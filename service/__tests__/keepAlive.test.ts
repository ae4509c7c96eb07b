import { connect, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpService, KEEP_ALIVE_MS } from '../httpService';

/**
 * A client reuses an idle keep-alive connection until its own idle timeout, which the server's
 * Keep-Alive header tells it. Node's default server closed connections idle for 5 s, so a request
 * sent on one at that moment (a batch of checks waiting on a slow agency) failed with ECONNRESET:
 * CI saw it in test/badInput.test.ts. This holds a connection idle past 5 s and reuses it.
 */
const service = httpService({
  name: 'keep-alive-test',
  port: 0,
  host: '127.0.0.1',
  mount: (app) => app.get('/ping', (_req, res) => void res.send('pong')),
  readiness: async () => ({ ready: true, checks: {} }),
});
beforeAll(() => service.listen());
afterAll(() => new Promise((resolve) => service.server.close(resolve)));

/** Sends one GET on the socket and resolves with the whole response text. */
function get(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\r\n\r\n') && text.endsWith('pong')) done(() => resolve(text));
    };
    const onEnd = () =>
      done(() => reject(new Error(`connection closed; got: ${text || 'nothing'}`)));
    const done = (then: () => void) => {
      socket.off('data', onData).off('close', onEnd).off('error', onEnd);
      then();
    };
    socket.on('data', onData).once('close', onEnd).once('error', onEnd);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n`);
  });
}

it('tells clients it keeps idle connections longer than a load balancer does', async () => {
  const socket = connect(service.port, '127.0.0.1');
  const response = await get(socket, '/ping');
  socket.destroy();
  expect(response).toMatch(new RegExp(`Keep-Alive: timeout=${KEEP_ALIVE_MS / 1000}`, 'i'));
  expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
});

it('answers a request on a connection left idle past Node’s default 5 s', async () => {
  const socket = connect(service.port, '127.0.0.1');
  await get(socket, '/ping');
  await sleep(6000);
  await expect(get(socket, '/ping')).resolves.toMatch(/^HTTP\/1\.1 200/);
  socket.destroy();
}, 20_000);
