import net from 'node:net'

export interface TcpProxy {
  /** The target's URL with this proxy's port in it. */
  url: string
  /** The database goes away: open connections drop, new ones are refused. */
  cut(): Promise<void>
  /** The database is back on the same port. */
  restore(): Promise<void>
  stop(): Promise<void>
}

/**
 * A TCP proxy in front of PostgreSQL (or any server), so a test can take it
 * away from a running process and bring it back, as an outage or a restart
 * of the database does, without touching the real server others use.
 */
export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl)
  const sockets = new Set<net.Socket>()
  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    track(client)
    track(upstream)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) =>
      server.once('error', reject).listen(port, '127.0.0.1', () => resolve())
    )
  await listen(0)
  const port = (server.address() as net.AddressInfo).port
  const url = new URL(targetUrl)
  url.hostname = '127.0.0.1'
  url.port = String(port)
  const cut = async () => {
    const closed = new Promise((resolve) => server.close(resolve))
    for (const socket of sockets) socket.destroy()
    await closed
  }
  return {
    url: url.toString(),
    cut,
    restore: () => listen(port),
    stop: async () => {
      if (server.listening) await cut()
    },
  }
}
