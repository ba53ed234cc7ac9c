// The tools' only window on process.env. GNU make puts the variables of its command line in each
// recipe's environment (make store V=hello), so the Make arguments arrive here together with the
// machine's own variables (DHT_STATE_DIR, HOME). Entry points (scripts/*.ts) call toolEnvironment()
// once and pass what it returns down: library code under src/ reads no environment.
import path from 'node:path'
import { SETTINGS } from '../node/settings.js'
import { MakeArguments, type Variables } from './args.js'
import { NetworkStateFile, type Machine } from './network-state.js'

export interface ToolEnvironment {
  /** The Make arguments, each checked by its setting when read. */
  args: MakeArguments
  /** Where the network state, the secret and the logs live (DHT_STATE_DIR=, default ./state). */
  stateDir: string
  /** Where this machine's nodes listen and which secret they share (HOST=, ADVERTISE=, DHT_BASE_PORT=, SECRET_FILE=). */
  machine: Machine
}

export function toolEnvironment(variables: Variables = process.env): ToolEnvironment {
  const args = new MakeArguments(variables)
  const advertise = args.given('advertise')
  const secretFile = args.given('secretFile')
  return {
    args,
    stateDir: path.resolve(args.given('stateDir') ?? SETTINGS.stateDir.default),
    machine: {
      host: args.given('host') ?? SETTINGS.host.default,
      basePort: args.integer('basePort'),
      ...(advertise ? { advertise } : {}),
      ...(secretFile ? { secretFile: path.resolve(expandHome(secretFile, variables.HOME)) } : {}),
    },
  }
}

/** This machine's network state file, as the environment places it. */
export function openStateFile(environment: ToolEnvironment = toolEnvironment()): NetworkStateFile {
  return new NetworkStateFile(environment.stateDir, environment.machine)
}

function expandHome(file: string, home: string | undefined): string {
  return file.startsWith('~/') && home ? path.join(home, file.slice(2)) : file
}
