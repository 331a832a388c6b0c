/** A TCP connection with its own deadline (so an unreachable host fails in ConnectTimeout, not the OS's minutes). */
import net from 'node:net';
import { SshError } from './sshErrors.js';

export function dialTcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SshError('connect', `${host}:${port} did not answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const why =
        err.code === 'ECONNREFUSED' ? 'refused the connection (is sshd running there?)' : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'is not a host name that resolves' : `is not reachable (${err.code ?? err.message})`;
      reject(new SshError('connect', `${host}:${port} ${why}`));
    });
  });
}
