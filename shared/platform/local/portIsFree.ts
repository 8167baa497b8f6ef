import { createServer } from 'node:net';

/** Whether this process could listen on 127.0.0.1:port right now (tried, then closed at once). */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
