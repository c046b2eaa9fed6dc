import { defineConfig } from '@adonisjs/static'

/**
 * Serves the operations console's production build (public/admin, written
 * by `npm run build -w admin`) under /admin and the web wallet's (public/app)
 * under /app, same origin as the API so neither needs CORS. Vite names assets by content hash, so they are
 * cached for a year; index.html is revalidated on every load so a deploy
 * takes effect at once.
 */
const staticServerConfig = defineConfig({
  enabled: true,
  etag: true,
  lastModified: true,
  dotFiles: 'ignore',
  headers: (path) =>
    /\/(admin|app)\/assets\//.test(path)
      ? { 'Cache-Control': 'public, max-age=31536000, immutable' }
      : { 'Cache-Control': 'no-cache' },
})

export default staticServerConfig
