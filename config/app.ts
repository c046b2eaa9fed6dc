import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { defineConfig } from '@adonisjs/core/http'
import { answerBadUrl } from '#exceptions/transport_errors'

export const appKey = env.get('APP_KEY')
export const appUrl = env.get('APP_URL', `http://${env.get('HOST')}:${env.get('PORT')}`)
/** The web wallet, where mailed links lead: served by this app at /app unless set. */
export const walletUrl = env.get('WALLET_URL', `${appUrl}/app`).replace(/\/+$/, '')

export const http = defineConfig({
  generateRequestId: true,
  allowMethodSpoofing: false,
  useAsyncLocalStorage: false,
  onBadUrl: answerBadUrl(app.inProduction),
  cookie: {
    domain: '',
    path: '/',
    maxAge: '2h',
    httpOnly: true,
    secure: app.inProduction,
    sameSite: 'lax',
  },
})
