// The latency models: constant, uniform over 0–2·mean and exponential, each with the asked mean; drawn
// per message from a seed (the same seed, the same delays) or fixed per link (the same both ways).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { delaySampler, LATENCY_KINDS } from '../../src/workbench/sim/latency.js'

const SAMPLES = 20_000
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length

for (const kind of LATENCY_KINDS) {
  test(`${kind} delays per message have a mean of 50 ms and replay from their seed`, () => {
    const draw = (seed: number) => {
      const delay = delaySampler({ kind, meanMs: 50, per: 'message' }, seed)
      return Array.from({ length: SAMPLES }, (_, i) => delay(i, i + 1))
    }
    const delays = draw(9)
    assert.ok(Math.abs(mean(delays) - 50) < 2, `${kind}: mean ${mean(delays).toFixed(2)} ms`)
    assert.ok(delays.every((d) => d >= 0 && Number.isFinite(d)), `${kind}: every delay is finite and not negative`)
    assert.deepEqual(draw(9), delays, `${kind}: the same seed gives the same delays`)
    if (kind === 'constant') assert.ok(delays.every((d) => d === 50))
    if (kind === 'uniform') assert.ok(Math.max(...delays) <= 100 && Math.min(...delays) < 1)
    // An exponential's standard deviation is its mean; a uniform over 0–100 has 100/√12 ≈ 28.9.
    const sd = Math.sqrt(mean(delays.map((d) => (d - 50) ** 2)))
    const expectedSd = { constant: 0, uniform: 100 / Math.sqrt(12), exponential: 50 }[kind]
    assert.ok(Math.abs(sd - expectedSd) < 2.5, `${kind}: standard deviation ${sd.toFixed(2)}, expected ${expectedSd.toFixed(2)}`)
  })

  test(`${kind} delays per link: one delay per pair of nodes, the same both ways, mean 50 ms over many links`, () => {
    const delay = delaySampler({ kind, meanMs: 50, per: 'link' }, 4)
    const links = Array.from({ length: SAMPLES }, (_, i) => delay(i, 3 * i + 7))
    for (let i = 0; i < 100; i++) {
      assert.equal(delay(i, 3 * i + 7), links[i], 'a link keeps its delay')
      assert.equal(delay(3 * i + 7, i), links[i], 'a link has one delay both ways')
    }
    assert.ok(Math.abs(mean(links) - 50) < 2, `${kind}: mean over links ${mean(links).toFixed(2)} ms`)
  })
}
