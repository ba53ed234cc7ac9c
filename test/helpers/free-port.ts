// A port that nothing listens on right now: the OS picks one for a listener on `host`, which is closed
// again at once. Not a guess like "some port below 1000", which may be a live service.
import net from 'node:net'

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error(`no port from listen(0) on ${host}`))))
    })
  })
}
