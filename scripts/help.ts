// make help: the settings part, after the targets the Makefile lists from its own ## comments.
import { settingsHelp } from '../src/workbench/terminal/settings-help.js'

for (const line of settingsHelp()) console.log(line)
