import router from '@adonisjs/core/services/router'
import env from '#start/env'
import { middleware } from '#start/kernel'

const AuthController = () => import('#controllers/auth_controller')
const WalletsController = () => import('#controllers/wallets_controller')
const TransfersController = () => import('#controllers/transfers_controller')
const StatementsController = () => import('#controllers/statements_controller')
const AdminController = () => import('#controllers/admin_controller')
const HealthController = () => import('#controllers/health_controller')
const MetricsController = () => import('#controllers/metrics_controller')
const DocsController = () => import('#controllers/docs_controller')
const ApiKeysController = () => import('#controllers/api_keys_controller')
const EventsController = () => import('#controllers/events_controller')
const WebhookEndpointsController = () => import('#controllers/webhook_endpoints_controller')
const AdminPartnersController = () => import('#controllers/admin_partners_controller')
const CapabilitiesController = () => import('#controllers/capabilities_controller')
const AccountSecurityController = () => import('#controllers/account_security_controller')
const AdminSecurityController = () => import('#controllers/admin_security_controller')
const AdminMoneyController = () => import('#controllers/admin_money_controller')
const LimitsController = () => import('#controllers/limits_controller')
const ClaimsController = () => import('#controllers/claims_controller')
const SecondFactorsController = () => import('#controllers/second_factors_controller')
const PaymentRequestsController = () => import('#controllers/payment_requests_controller')

/** Every limit comes from the environment so benchmarks and tests can set their own. */
const per_ip = {
  name: 'ip',
  scope: 'ip',
  requestsPerMinute: env.get('RATE_LIMIT_IP_PER_MINUTE', 600),
} as const
/** Sign-up and login hash a password (~40 ms of CPU each): far fewer per IP. */
const per_ip_password = {
  name: 'password',
  scope: 'ip',
  requestsPerMinute: env.get('RATE_LIMIT_AUTH_PER_MINUTE', 30),
} as const
const per_user_money = {
  name: 'money',
  scope: 'user',
  requestsPerMinute: env.get('RATE_LIMIT_TRANSFERS_PER_MINUTE', 60),
} as const

// Liveness is the process alone: no Redis round trip, and no limit that
// could make an orchestrator restart a healthy process.
router.get('/health/live', [HealthController, 'live'])
router
  .group(() => {
    router.get('/health', [HealthController, 'ready'])
    router.get('/metrics', [MetricsController, 'show'])
    router.get('/openapi.json', [DocsController, 'contract'])
    router.get('/docs', [DocsController, 'page'])
    router.get('/docs/sdk', [DocsController, 'sdk'])
    router.get('/docs/assets/:file', [DocsController, 'asset'])
  })
  .use(middleware.throttle([per_ip]))

router
  .group(() => {
    router
      .group(() => {
        router.post('/auth/register', [AuthController, 'register'])
        router.post('/auth/login', [AuthController, 'login'])
        router.post('/auth/password/reset', [AccountSecurityController, 'resetPassword'])
      })
      .use(middleware.throttle([per_ip_password]))
    // No password is hashed here; the mails a person gets are limited per address.
    router.post('/auth/password/forgot', [AccountSecurityController, 'forgotPassword'])
    router.post('/auth/email/verify', [AccountSecurityController, 'verifyEmail'])
    router.post('/auth/refresh', [AuthController, 'refresh'])
    // Codes are limited per person (app/identity/second_factor.ts), passkeys by their signature.
    router.post('/auth/login/mfa', [AuthController, 'completeMfa'])
    router.post('/auth/login/mfa/passkey-options', [AuthController, 'mfaPasskeyOptions'])
    router.post('/auth/login/passkey/options', [AuthController, 'passkeyLoginOptions'])
    router.post('/auth/login/passkey', [AuthController, 'passkeyLogin'])
    router.get('/capabilities', [CapabilitiesController, 'show'])

    // A person's own session: never an API key.
    router
      .group(() => {
        router.post('/auth/logout', [AuthController, 'logout'])
        router.post('/auth/email/resend', [AccountSecurityController, 'resendVerification'])
        router.post('/auth/password', [AccountSecurityController, 'changePassword'])
        router.post('/auth/email', [AccountSecurityController, 'changeEmail'])
        router.get('/auth/mfa', [SecondFactorsController, 'show'])
        router.post('/auth/mfa/totp', [SecondFactorsController, 'beginTotp'])
        router.post('/auth/mfa/totp/confirm', [SecondFactorsController, 'confirmTotp'])
        router.post('/auth/mfa/totp/disable', [SecondFactorsController, 'disableTotp'])
        router.post('/auth/mfa/recovery-codes', [SecondFactorsController, 'recoveryCodes'])
        router.post('/auth/passkeys/registration/options', [
          SecondFactorsController,
          'passkeyOptions',
        ])
        router.post('/auth/passkeys', [SecondFactorsController, 'addPasskey'])
        router.delete('/auth/passkeys/:id', [SecondFactorsController, 'removePasskey'])
        router.post('/auth/step-up/options', [SecondFactorsController, 'stepUpOptions'])
        router.post('/auth/step-up', [SecondFactorsController, 'stepUp'])
        router.get('/auth/sessions', [AccountSecurityController, 'sessions'])
        router.post('/auth/sessions/revoke-others', [AccountSecurityController, 'endOtherSessions'])
        router.delete('/auth/sessions/:id', [AccountSecurityController, 'endSession'])
        router.get('/api-keys', [ApiKeysController, 'index'])
        router.post('/api-keys', [ApiKeysController, 'store'])
        router.delete('/api-keys/:id', [ApiKeysController, 'destroy'])
      })
      .use(middleware.auth())
    router.get('/me', [AuthController, 'me']).use(middleware.auth({ scope: 'any' }))
    router
      .group(() => {
        router.get('/wallets', [WalletsController, 'index'])
        router.get('/wallet', [WalletsController, 'showUsd'])
        router.get('/wallets/:currency/statement', [StatementsController, 'show'])
      })
      .use(middleware.auth({ scope: 'wallets:read' }))
    router
      .post('/wallets', [WalletsController, 'store'])
      .use(middleware.auth({ scope: 'wallets:write' }))
    router
      .group(() => {
        router.get('/transfers', [TransfersController, 'index'])
        router.get('/transfers/:id', [TransfersController, 'show'])
      })
      .use(middleware.auth({ scope: 'transfers:read' }))
    router
      .group(() => {
        router.get('/limits', [LimitsController, 'show'])
        router.get('/claims', [ClaimsController, 'index'])
        router.get('/payment-requests', [PaymentRequestsController, 'index'])
        router.get('/payment-requests/:id', [PaymentRequestsController, 'show'])
      })
      .use(middleware.auth({ scope: 'transfers:read' }))
    router
      .group(() => {
        router.post('/payment-requests', [PaymentRequestsController, 'store'])
        router.post('/payment-requests/:id/decline', [PaymentRequestsController, 'decline'])
        router.post('/payment-requests/:id/cancel', [PaymentRequestsController, 'cancel'])
        router.post('/claims/:id/cancel', [ClaimsController, 'cancel'])
      })
      .use(middleware.auth({ scope: 'transfers:write' }))
    router
      .group(() => {
        router.get('/events', [EventsController, 'index'])
        router.get('/events/stream', [EventsController, 'stream'])
        router.get('/events/:id', [EventsController, 'show'])
      })
      .use(middleware.auth({ scope: 'events:read' }))
    router
      .group(() => {
        router.get('/webhook-endpoints', [WebhookEndpointsController, 'index'])
        router.post('/webhook-endpoints', [WebhookEndpointsController, 'store'])
        router.get('/webhook-endpoints/:id', [WebhookEndpointsController, 'show'])
        router.patch('/webhook-endpoints/:id', [WebhookEndpointsController, 'update'])
        router.delete('/webhook-endpoints/:id', [WebhookEndpointsController, 'destroy'])
        router.post('/webhook-endpoints/:id/rotate-secret', [
          WebhookEndpointsController,
          'rotateSecret',
        ])
        router.get('/webhook-endpoints/:id/attempts', [WebhookEndpointsController, 'attempts'])
      })
      .use(middleware.auth({ scope: 'webhooks:manage' }))

    router
      .group(() => {
        router.get('/users', [AdminController, 'users'])
        router.get('/users/:id', [AdminController, 'user'])
        router.post('/users/:id/freeze', [AdminController, 'freeze'])
        router.post('/users/:id/unfreeze', [AdminController, 'unfreeze'])
        router.get('/users/:id/sessions', [AdminSecurityController, 'sessions'])
        router.post('/users/:id/sessions/end', [AdminSecurityController, 'endSessions'])
        router.post('/users/:id/verification-mail', [AdminSecurityController, 'resendVerification'])
        router.get('/transfers', [AdminController, 'transfers'])
        router.get('/transfers/:id', [AdminController, 'transfer'])
        router.get('/wallets/:id/statement', [AdminController, 'walletStatement'])
        router.get('/overview', [AdminController, 'overview'])
        router.get('/audit-log', [AdminController, 'auditLog'])
        router.get('/ledger/invariants', [AdminController, 'invariants'])
        router.get('/users/:id/api-keys', [AdminPartnersController, 'apiKeys'])
        router.post('/api-keys/:id/revoke', [AdminPartnersController, 'revokeApiKey'])
        router.get('/events', [AdminPartnersController, 'events'])
        router.get('/users/:id/webhook-endpoints', [AdminPartnersController, 'webhookEndpoints'])
        router.get('/webhook-endpoints/:id/attempts', [AdminPartnersController, 'webhookAttempts'])
        router.post('/webhook-endpoints/:id/resends', [AdminPartnersController, 'resend'])
        router.get('/users/:id/limits', [LimitsController, 'adminShow'])
        router.get('/proposals', [AdminMoneyController, 'index'])
        router.get('/proposals/:id', [AdminMoneyController, 'show'])
        router
          .group(() => {
            router.post('/transfers/:id/reversal', [AdminMoneyController, 'reverse'])
            router.post('/wallets/:id/adjustments', [AdminMoneyController, 'adjust'])
            router.put('/users/:id/limits', [LimitsController, 'adminSet'])
            router.post('/proposals/:id/approve', [AdminMoneyController, 'approve'])
            router.post('/proposals/:id/reject', [AdminMoneyController, 'reject'])
          })
          .use(middleware.role({ roles: ['admin'] }))
      })
      .prefix('/admin')
      .use([middleware.auth(), middleware.role({ roles: ['support', 'admin'] })])
  })
  .prefix('/api/v1')
  .use(middleware.throttle([per_ip]))

// Money routes: both of their limits are consumed in one round trip, before
// the token is required (so a flood of bad tokens still counts per IP).
router
  .group(() => {
    router.post('/deposits', [TransfersController, 'deposit'])
    router.post('/transfers', [TransfersController, 'store'])
    router.post('/transfers/:id/refunds', [TransfersController, 'refund'])
    router.post('/payment-requests/:id/pay', [PaymentRequestsController, 'pay'])
  })
  .prefix('/api/v1')
  .use([
    middleware.throttle([per_ip, per_user_money]),
    middleware.auth({ scope: 'transfers:write' }),
  ])
