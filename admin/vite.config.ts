import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/**
 * The console is served by the API under /admin (same origin: no CORS).
 * `vite build` writes it where the AdonisJS static middleware serves it;
 * `vite` (development) proxies API calls to the app on PURSE_API_URL.
 */
export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: '../public/admin',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // One chunk would be over 1 MB; split the framework from the console.
        codeSplitting: {
          groups: [
            { name: 'mui', test: /node_modules[\\/]@mui/ },
            { name: 'react-admin', test: /node_modules[\\/](ra-|react-admin)/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  server: {
    port: Number(process.env.ADMIN_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: {
      '/api': process.env.PURSE_API_URL ?? 'http://127.0.0.1:3333',
    },
  },
})
