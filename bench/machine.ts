import { execFileSync, fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'

/**
 * What says how fast this machine is right now, so that two benches can be
 * told apart by the machine rather than by the code. The speed of this kind
 * of virtual machine drifts by up to three times between sessions, and the
 * payment path is mostly processes waking each other over loopback sockets.
 */

/**
 * Microseconds for one byte to go to another process over loopback TCP and
 * back (the median of three rounds of 10,000).
 */
export async function loopbackRoundTripUs(): Promise<number> {
  const echo = fork(new URL('./echo_process.ts', import.meta.url).pathname, { execArgv: [] })
  try {
    const port = await new Promise<number>((resolve) => echo.once('message', resolve as any))
    const socket = net.connect(port, '127.0.0.1')
    socket.setNoDelay(true)
    await new Promise((resolve) => socket.once('connect', resolve))
    const rounds = []
    for (let round = 0; round < 3; round++) {
      const count = 10_000
      let answered = 0
      const started = performance.now()
      await new Promise<void>((resolve) => {
        const onData = () => {
          if (++answered === count) {
            socket.off('data', onData)
            resolve()
          } else socket.write('x')
        }
        socket.on('data', onData)
        socket.write('x')
      })
      rounds.push(((performance.now() - started) * 1000) / count)
    }
    socket.destroy()
    return rounds.sort((a, b) => a - b)[1]!
  } finally {
    echo.kill()
  }
}

/** CPU milliseconds used so far by each named group of processes (Linux /proc; {} elsewhere). */
export function cpuMs(groups: Record<string, number[]>): Record<string, number> {
  if (process.platform !== 'linux') return {}
  const tick_ms = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString())
  const used: Record<string, number> = {}
  for (const [name, pids] of Object.entries(groups)) {
    used[name] = 0
    for (const pid of pids) {
      try {
        // Fields after the command name: utime and stime are the 12th and 13th.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
        used[name] += (Number(fields[11]) + Number(fields[12])) * tick_ms
      } catch {
        // The process ended between listing and reading: nothing more to count.
      }
    }
  }
  return used
}

/** Ids of this machine's processes with exactly this name. */
export function pidsNamed(name: string): number[] {
  try {
    return execFileSync('pgrep', ['-x', name]).toString().trim().split('\n').map(Number)
  } catch {
    return []
  }
}
