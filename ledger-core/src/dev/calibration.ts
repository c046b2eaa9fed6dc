import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/**
 * The machine's speed right now, in a unit every PostgreSQL user knows:
 * pgbench's built-in TPC-B-like script on a scratch database of the same
 * server (scale 10, 8 clients, 10 s, durable commits). This kind of virtual
 * machine drifts by up to 2× between sessions; a benchmark that prints its
 * figures as multiples of a calibration run beside them can be compared
 * across sessions, where raw figures cannot.
 */
export interface TpcbSettings {
  scale: number
  clients: number
  seconds: number
}

export const tpcb_default: TpcbSettings = { scale: 10, clients: 8, seconds: 10 }
const scratch_database = 'purse_tpcb_calibration'

export class Calibration {
  readonly runs: number[] = []
  private pgbench: string
  private serverUrl: string
  private settings: TpcbSettings

  private constructor(pgbench: string, serverUrl: string, settings: TpcbSettings) {
    this.pgbench = pgbench
    this.serverUrl = serverUrl
    this.settings = settings
  }

  /** Ready to run, the scratch database loaded; null (saying why) when pgbench is missing. */
  static async prepare(
    serverUrl: string,
    settings: TpcbSettings = tpcb_default
  ): Promise<Calibration | null> {
    const pgbench = findPgbench()
    if (!pgbench) {
      console.log(
        'pgbench not found, so no TPC-B calibration: install it (Debian/Ubuntu: apt-get install postgresql-client; ' +
          "elsewhere it ships with the server's contrib) or set PGBENCH_PATH. The workloads run anyway."
      )
      return null
    }
    const calibration = new Calibration(pgbench, serverUrl, settings)
    await calibration.admin(`DROP DATABASE IF EXISTS ${scratch_database}`)
    await calibration.admin(`CREATE DATABASE ${scratch_database}`)
    await run(pgbench, ['-i', '-q', '-s', String(settings.scale), calibration.url()], {
      maxBuffer: 16 * 2 ** 20,
    })
    return calibration
  }

  /** One TPC-B run; its transactions per second. */
  async measure(): Promise<number> {
    const { stdout } = await run(this.pgbench, [
      '-c',
      String(this.settings.clients),
      '-j',
      String(Math.min(this.settings.clients, 2)),
      '-T',
      String(this.settings.seconds),
      this.url(),
    ])
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)
    if (!tps) throw new Error(`pgbench printed no tps:\n${stdout}`)
    this.runs.push(Number(tps[1]))
    return Number(tps[1])
  }

  /** The mean of the runs so far: the unit of every multiple. */
  get mean(): number {
    return this.runs.reduce((sum, tps) => sum + tps, 0) / this.runs.length
  }

  /** A figure as a multiple of TPC-B ("2.31"). */
  times(perSecond: number): string {
    return (perSecond / this.mean).toFixed(2)
  }

  describe(): string {
    const { scale, clients, seconds } = this.settings
    return (
      `TPC-B calibration (pgbench -s ${scale}, ${clients} clients, ${seconds} s, durable): ` +
      `${this.runs.map((tps) => Math.round(tps).toLocaleString('en')).join(' and ')} tps, ` +
      `mean ${Math.round(this.mean).toLocaleString('en')}`
    )
  }

  async dispose() {
    await this.admin(`DROP DATABASE IF EXISTS ${scratch_database}`)
  }

  private url(): string {
    const url = new URL(this.serverUrl)
    url.pathname = `/${scratch_database}`
    return url.href
  }

  private async admin(sql: string) {
    const client = new pg.Client({ connectionString: this.serverUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
}

/** PGBENCH_PATH, pgbench on the PATH, or the newest beside a Debian server's binaries. */
function findPgbench(): string | null {
  if (process.env.PGBENCH_PATH) return process.env.PGBENCH_PATH
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/pgbench`)) return `${dir}/pgbench`
  }
  const debian = '/usr/lib/postgresql'
  if (!existsSync(debian)) return null
  const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a))
  for (const version of versions) {
    if (existsSync(`${debian}/${version}/bin/pgbench`)) return `${debian}/${version}/bin/pgbench`
  }
  return null
}
