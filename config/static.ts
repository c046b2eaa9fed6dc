import { defineConfig } from '@adonisjs/static'

/**
 * Serves the operations console's production build (public/admin, written
 * by `npm run build -w admin`) under /admin, same origin as the API so the
 * console needs no CORS. Vite names assets by content hash, so they are
 * cached for a year; index.html is revalidated on every load so a deploy
 * takes effect at once.
 */
const staticServerConfig = defineConfig({
  enabled: true,
  etag: true,
  lastModified: true,
  dotFiles: 'ignore',
  headers: (path) =>
    path.includes('/admin/assets/')
      ? { 'Cache-Control': 'public, max-age=31536000, immutable' }
      : { 'Cache-Control': 'no-cache' },
})

export default staticServerConfig
