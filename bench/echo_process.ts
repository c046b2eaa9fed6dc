import net from 'node:net'

/** The far end of bench/machine.ts's round trip: sends back every byte it gets. */
const server = net.createServer((socket) => {
  socket.setNoDelay(true)
  socket.on('data', (data) => socket.write(data))
})
server.listen(0, '127.0.0.1', () => process.send!((server.address() as net.AddressInfo).port))
