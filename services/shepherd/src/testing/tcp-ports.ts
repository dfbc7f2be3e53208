// TCP servers on 127.0.0.1 standing in for AppInst ports, opened and closed by tests.
import { createServer, type Server, type Socket } from 'node:net';

export class TcpPorts {
  private readonly open = new Map<number, { server: Server; sockets: Set<Socket> }>();

  /** Listens on `port` (0: a free one); returns the port. */
  async openPort(port = 0): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    const bound = (server.address() as { port: number }).port;
    this.open.set(bound, { server, sockets });
    return bound;
  }

  /** Stops listening on `port` and drops its connections. */
  async closePort(port: number): Promise<void> {
    const held = this.open.get(port);
    this.open.delete(port);
    if (!held) return;
    for (const s of held.sockets) s.destroy();
    await new Promise<void>((resolve) => held.server.close(() => resolve()));
  }

  async closeAll(): Promise<void> {
    for (const port of [...this.open.keys()]) await this.closePort(port);
  }
}
