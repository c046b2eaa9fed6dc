import { gzipSync } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/** First-load JavaScript we allow ourselves, gzipped: a phone on a slow network. */
const first_load_kb_max = 200

/**
 * The web wallet is served by the API under /app (same origin: no CORS, and
 * the refresh cookie is first-party). `vite build` writes it where the API
 * serves it; `vite` (development) proxies /api to the app on PURSE_API_URL,
 * so the browser still sees one origin.
 */
export default defineConfig({
  base: '/app/',
  plugins: [react(), firstLoadSize(), appRootWithoutSlash()],
  build: {
    outDir: '../public/app',
    emptyOutDir: true,
    // No inline scripts or data: modules: the page's CSP forbids both.
    assetsInlineLimit: 0,
  },
  server: {
    port: Number(process.env.WALLET_DEV_PORT ?? 5174),
    strictPort: true,
    // The Host header kept as the browser sent it: the API checks the session
    // cookie's Origin against it.
    proxy: {
      '/api': { target: process.env.PURSE_API_URL ?? 'http://127.0.0.1:3333', changeOrigin: false },
    },
  },
})

/**
 * The router writes Home as `/app` (its basename); the API answers it, and
 * so must the dev server, which otherwise knows only `/app/`.
 */
function appRootWithoutSlash(): Plugin {
  return {
    name: 'purse-app-root',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (!/^\/app(\?|$)/.test(request.url ?? '')) return next()
        response.statusCode = 302
        response.setHeader('location', request.url!.replace(/^\/app/, '/app/'))
        response.end()
      })
    },
  }
}

/** Prints the gzip size of what the first page load fetches: the entry chunk and its static imports. */
function firstLoadSize(): Plugin {
  return {
    name: 'purse-first-load-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk')
      const entry = chunks.find((chunk) => chunk.isEntry)
      if (!entry) return
      const loaded = new Set<string>()
      const visit = (name: string) => {
        if (loaded.has(name)) return
        loaded.add(name)
        const chunk = chunks.find((c) => c.fileName === name)
        for (const imported of chunk?.imports ?? []) visit(imported)
      }
      visit(entry.fileName)
      const bytes = chunks
        .filter((chunk) => loaded.has(chunk.fileName))
        .reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).length, 0)
      const kb = bytes / 1000
      const verdict = kb <= first_load_kb_max ? 'within' : 'OVER'
      console.log(
        `first-load JavaScript: ${kb.toFixed(1)} kB gzip in ${loaded.size} file(s), ${verdict} the ${first_load_kb_max} kB budget`
      )
    },
  }
}
