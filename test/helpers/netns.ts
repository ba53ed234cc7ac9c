// Test hosts on one machine: Linux network namespaces joined by veth pairs to a bridge that lives in a
// namespace of its own, so nothing touches the machine's own network. Needs root and iproute2.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCaptured, type Captured } from './run-captured.js'

export interface TestHost {
  name: string
  namespace: string
  address: string
  stateDir: string
}

export interface HostNetwork {
  hosts: TestHost[]
  /** Runs a Make target's script inside a host, as a user on that machine would. */
  run(host: TestHost, script: string, env?: Record<string, string>): Promise<Captured>
  destroy(): void
}

const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts')

/** Why namespaces cannot be made here, or undefined when they can. */
export function namespacesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root'
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' })
  } catch {
    return 'iproute2 (the ip command) is not installed'
  }
  const probe = `chprobe${process.pid}`
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' })
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' })
  } catch (error) {
    return `ip netns add failed: ${(error as Error).message.split('\n')[0]}`
  }
  return undefined
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' })
}

/** count hosts on 10.<x>.<y>.0/24, unique to this test process. */
export function createHostNetwork(count: number, secretFile: string): HostNetwork {
  const tag = (process.pid % 10000).toString(36)
  const bridgeNs = `chbr-${tag}`
  const subnet = `10.${77 + (process.pid % 50)}.${process.pid % 250}`
  const hosts: TestHost[] = []
  const destroy = () => {
    for (const host of hosts) {
      try {
        ip('netns', 'del', host.namespace)
      } catch {
        // already gone
      }
      fs.rmSync(host.stateDir, { recursive: true, force: true })
    }
    try {
      ip('netns', 'del', bridgeNs)
    } catch {
      // already gone
    }
  }
  try {
    ip('netns', 'add', bridgeNs)
    ip('-n', bridgeNs, 'link', 'add', 'br0', 'type', 'bridge')
    ip('-n', bridgeNs, 'link', 'set', 'br0', 'up')
    for (let i = 1; i <= count; i++) {
      const namespace = `chh${i}-${tag}`
      const host: TestHost = { name: `host${i}`, namespace, address: `${subnet}.${i}`, stateDir: fs.mkdtempSync(path.join(os.tmpdir(), `chord-lab-${namespace}-`)) }
      hosts.push(host)
      ip('netns', 'add', namespace)
      ip('-n', namespace, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `port${i}`, 'netns', bridgeNs)
      ip('-n', bridgeNs, 'link', 'set', `port${i}`, 'master', 'br0')
      ip('-n', bridgeNs, 'link', 'set', `port${i}`, 'up')
      ip('-n', namespace, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0')
      ip('-n', namespace, 'link', 'set', 'eth0', 'up')
      ip('-n', namespace, 'link', 'set', 'lo', 'up')
    }
  } catch (error) {
    destroy()
    throw error
  }
  return {
    hosts,
    destroy,
    run(host, script, env = {}) {
      return runInHost(host, path.join(SCRIPTS, `${script}.js`), { SECRET_FILE: secretFile, DHT_BASE_PORT: '0', ...env })
    },
  }
}

/** Runs a Node script inside a host: its state directory, its address, no colours. */
export function runInHost(host: TestHost, script: string, env: Record<string, string>): Promise<Captured> {
  return runCaptured('ip', ['netns', 'exec', host.namespace, process.execPath, script], {
    ...process.env,
    DHT_STATE_DIR: host.stateDir,
    HOST: host.address,
    NO_COLOR: '1',
    ...env,
  })
}
