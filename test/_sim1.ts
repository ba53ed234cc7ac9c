import { SimRing } from '../src/sim/sim-ring.js'
for (const N of [8, 16, 32, 64]) {
  const sim = new SimRing({ seed: 1 })
  sim.bootstrap()
  for (let i = 1; i < N; i++) await sim.join()
  for (let r = 0; r < 3; r++) await sim.maintain({ fingers: true })
  const ring = sim.sorted()
  let ok = true
  ring.forEach((n, i) => { const s = ring[(i+1)%ring.length]!; if (n.successor.id !== s.self.id || n.predecessor?.id !== ring[(i-1+ring.length)%ring.length]!.self.id) ok = false })
  let hops = 0, lin = 0, wrong = 0
  const Q = 500
  for (let q = 0; q < Q; q++) {
    const key = sim.space.hash('k' + q)
    const from = sim.random.pick(sim.nodes)
    const r = await from.findOwner(key)
    if (r.owner.id !== sim.ownerOf(key).self.id) wrong++
    hops += r.hops
    lin += (await from.findOwner(key, 'linear')).hops
  }
  console.log(N, 'ring ok', ok, 'wrong', wrong, 'mean hops', (hops/Q).toFixed(2), 'half log2', (Math.log2(N)/2).toFixed(2), 'linear', (lin/Q).toFixed(2))
}
