import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Debian packages the tests drive as real programs: Chromium for the
 * browser tests, nginx for the multi-replica chaos test and soak. Nothing
 * is downloaded from elsewhere. On a fresh machine they are missing; as root
 * with apt-get, install them; otherwise say exactly what to run.
 * `node scripts/ensure_test_tools.ts [chromium] [nginx]`: those named, or both.
 */
const tools = [
  { binary: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' },
  { binary: process.env.NGINX_PATH ?? '/usr/sbin/nginx', pkg: 'nginx' },
]
const wanted = process.argv.slice(2)
const missing = tools.filter(
  (tool) => (wanted.length === 0 || wanted.includes(tool.pkg)) && !existsSync(tool.binary)
)
if (missing.length > 0) {
  const packages = missing.map((tool) => tool.pkg)
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    console.error(
      `This needs ${missing.map((t) => t.binary).join(' and ')}.\n` +
        `Install with: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n` +
        '(or set CHROMIUM_PATH / NGINX_PATH).'
    )
    process.exit(1)
  }
  console.log(`Installing Debian's ${packages.join(' and ')} for the tests (once)…`)
  const apt = {
    stdio: 'inherit' as const,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }
  execFileSync('apt-get', ['update', '-qq'], apt)
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], apt)
}
