import * as http from 'http';
import * as net from 'net';

/**
 * Loopback servers for the registry tests: every server here listens on 127.0.0.0/8 only (a
 * second address, 127.0.0.2, stands for "another host"), and each test closes what it opened.
 */

/** A free TCP port on a loopback address, found by binding port 0. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts an HTTP server on a loopback address and port 0; returns its `host:port`. */
export async function listen(server: http.Server, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return `${host}:${(server.address() as net.AddressInfo).port}`;
}

/** Closes a server, dropping connections that are still open (a server that never answers has some). */
export async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The whole request body. */
export async function readRequestBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
