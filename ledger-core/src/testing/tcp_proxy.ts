import net from 'node:net'

export interface TcpProxy {
  /** The target's URL with this proxy's port in it. */
  url: string
  /** The database goes away: open connections drop, new ones are refused. */
  cut(): Promise<void>
  /** The database is back on the same port. */
  restore(): Promise<void>
  /**
   * The database stops answering but keeps every connection open, as a
   * frozen host or a stalled disk does: bytes go nowhere, in either
   * direction, and new connections open but get no answer.
   */
  stall(): void
  /** The database answers again, starting with what it was sent meanwhile. */
  resume(): void
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
  const pairs = new Set<[net.Socket, net.Socket]>()
  let stalled = false
  const flow = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.pipe(upstream)
    upstream.pipe(client)
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname)
    track(client)
    track(upstream)
    const pair: [net.Socket, net.Socket] = [client, upstream]
    pairs.add(pair)
    client.on('close', () => {
      pairs.delete(pair)
      upstream.destroy()
    })
    upstream.on('close', () => client.destroy())
    if (!stalled) flow(pair)
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
    stall: () => {
      stalled = true
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
    },
    resume: () => {
      stalled = false
      for (const pair of pairs) flow(pair)
    },
    stop: async () => {
      if (server.listening) await cut()
    },
  }
}
