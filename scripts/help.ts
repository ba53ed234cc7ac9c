// make help: the settings part and the exit codes, after the targets the Makefile lists from its own ## comments.
import { exitCodesHelp } from '../src/tools/exit-codes.js'
import { settingsHelp } from '../src/workbench/terminal/settings-help.js'

for (const line of settingsHelp()) console.log(line)
console.log()
for (const line of exitCodesHelp()) console.log(line)
