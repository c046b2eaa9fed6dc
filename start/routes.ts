import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'

const AuthController = () => import('#controllers/auth_controller')
const WalletsController = () => import('#controllers/wallets_controller')
const TransfersController = () => import('#controllers/transfers_controller')
const HealthController = () => import('#controllers/health_controller')

router.get('/health', [HealthController, 'ready'])
router.get('/health/live', [HealthController, 'live'])

router
  .group(() => {
    router.post('/auth/register', [AuthController, 'register'])
    router.post('/auth/login', [AuthController, 'login'])
    router.post('/auth/refresh', [AuthController, 'refresh'])

    router
      .group(() => {
        router.post('/auth/logout', [AuthController, 'logout'])
        router.get('/me', [AuthController, 'me'])
        router.get('/wallets', [WalletsController, 'index'])
        router.post('/wallets', [WalletsController, 'store'])
        router.get('/wallet', [WalletsController, 'showUsd'])
        router.post('/deposits', [TransfersController, 'deposit'])
        router.post('/transfers', [TransfersController, 'store'])
        router.get('/transfers', [TransfersController, 'index'])
        router.get('/transfers/:id', [TransfersController, 'show'])
      })
      .use(middleware.auth())
  })
  .prefix('/api/v1')
