import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from 'node:net'
import { freePort } from '@purse/ledger-core/dev'

export interface Balancer {
  /** The public API through nginx. */
  appUrl: string
  /** ledger-core through nginx, for the app replicas. */
  ledgerUrl: string
  /** What nginx logged (errors only with CHAOS_DEBUG). */
  errorLog(): Promise<string>
  stop(): Promise<void>
}

/**
 * Debian's nginx in front of the app and ledger-core replicas on 127.0.0.1,
 * with the directives of deploy/nginx.conf: least connections, passive
 * health (a failed replica is skipped for a while), retries on another
 * replica only for what cannot move money twice, and a clean problem+json
 * 503 when no replica answered.
 */
export async function startNginx(options: {
  appPorts: number[]
  ledgerPorts: number[]
}): Promise<Balancer> {
  const dir = await mkdtemp(join(tmpdir(), 'purse-nginx-'))
  const appPort = await freePort()
  const ledgerPort = await freePort()
  const upstream = (ports: number[]) =>
    ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join('\n    ')
  const config = `
user root;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log ${process.env.CHAOS_DEBUG ? 'error' : 'crit'};
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream purse_app {
    least_conn;
    ${upstream(options.appPorts)}
    keepalive 64;
  }
  upstream purse_ledger {
    least_conn;
    ${upstream(options.ledgerPorts)}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${appPort};
    client_max_body_size 16k;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_connect_timeout 1s;
    proxy_read_timeout 15s;
    proxy_next_upstream_tries 2;
    proxy_intercept_errors off;
    error_page 502 504 = @unavailable;
    location / {
      # A replica's own 503 (its database or ledger-core is away) is passed on as it is,
      # never counted as the replica failing: every replica shares them, and counting it
      # would mark them all down at once. Only a replica that does not answer is skipped.
      # A request with an Idempotency-Key is done once however often it is sent.
      if ($http_idempotency_key) { rewrite ^ /.keyed$uri last; }
      proxy_pass http://purse_app;
      # One without a key is sent to another replica only if the first never read it.
      proxy_next_upstream error timeout;
    }
    location ^~ /.keyed/ {
      internal;
      rewrite ^/\.keyed(/.*)$ $1 break;
      proxy_pass http://purse_app;
      # Even after a replica died having read it: the other learns or makes it, once.
      proxy_next_upstream error timeout non_idempotent;
    }
    location @unavailable {
      default_type application/problem+json;
      add_header Retry-After 1 always;
      return 503 '{"type":"about:blank","title":"No API replica answered; retry with the same Idempotency-Key","status":503,"code":"service_unavailable","detail":"The load balancer could not reach an API replica. If this was a payment, retry it with the same Idempotency-Key: it will be done once.","request_id":"$request_id"}';
    }
  }
  server {
    listen 127.0.0.1:${ledgerPort};
    location / {
      proxy_pass http://purse_ledger;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_connect_timeout 1s;
      proxy_read_timeout 15s;
      # Every ledger write carries an Idempotency-Key: a retry on the other replica is safe.
      proxy_next_upstream error timeout non_idempotent;
      proxy_next_upstream_tries 2;
      error_page 502 504 = @unavailable;
    }
    location @unavailable {
      default_type application/problem+json;
      return 503 '{"type":"about:blank","title":"No ledger-core replica answered","status":503,"code":"service_unavailable","detail":"retry with the same Idempotency-Key"}';
    }
  }
}
`
  await writeFile(join(dir, 'nginx.conf'), config)
  const binary = process.env.NGINX_PATH ?? '/usr/sbin/nginx'
  const child: ChildProcess = spawn(binary, ['-c', join(dir, 'nginx.conf'), '-p', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let errors = ''
  child.stderr!.on('data', (chunk) => (errors += chunk))
  const appUrl = `http://127.0.0.1:${appPort}`
  const ledgerUrl = `http://127.0.0.1:${ledgerPort}`
  // Ready when it accepts connections. A TCP probe, not a request: a request
  // before the replicas run would mark them failed for fail_timeout.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors}`)
    if (await accepts(ledgerPort)) break
    if (i > 200) throw new Error(`nginx did not start: ${errors}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return {
    appUrl,
    ledgerUrl,
    errorLog: () => readFile(join(dir, 'error.log'), 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM')
        await new Promise((resolve) => child.once('exit', resolve))
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Whether something listens on the port (a TCP connect, no request). */
export function accepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
