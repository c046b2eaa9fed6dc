import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/**
 * What says how fast this machine is right now, so that two benches can be
 * told apart by the machine rather than by the code: the speed of this kind
 * of virtual machine drifts by up to three times between sessions. The CPU
 * per payment of processes that run no Purse code (Redis, the load
 * generator) is what tells the phases apart.
 */

/** CPU milliseconds used so far by each named group of processes and their ended children (Linux /proc; {} elsewhere). */
export function cpuMs(groups: Record<string, number[]>): Record<string, number> {
  if (process.platform !== 'linux') return {}
  const tick_ms = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString())
  const used: Record<string, number> = {}
  for (const [name, pids] of Object.entries(groups)) {
    used[name] = 0
    for (const pid of pids) {
      try {
        // Fields after the command name: utime, stime, then cutime and cstime,
        // the CPU of children that ended (PostgreSQL's backends that closed count
        // in the postmaster's, so a group's total never runs backwards).
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
        used[name] += fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * tick_ms
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
