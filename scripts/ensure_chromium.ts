import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * The console's browser tests drive Debian's Chromium (never a downloaded
 * browser: nothing but the npm registry and Debian answer here). On a fresh
 * machine it is missing; as root with apt-get, install it; otherwise say
 * exactly what to run.
 */
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  const root = process.getuid?.() === 0
  if (!root || !existsSync('/usr/bin/apt-get')) {
    console.error(
      `The console's browser tests need Chromium at ${chromium}.\n` +
        'Install it with: sudo apt-get update && sudo apt-get install -y chromium\n' +
        '(or set CHROMIUM_PATH to a Chromium or Chrome binary).'
    )
    process.exit(1)
  }
  console.log("Installing Debian's chromium for the console's browser tests (once)…")
  const apt = {
    stdio: 'inherit' as const,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }
  execFileSync('apt-get', ['update', '-qq'], apt)
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], apt)
}
