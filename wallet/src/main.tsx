import CssBaseline from '@mui/material/CssBaseline'
import { ThemeProvider } from '@mui/material/styles'
import type { User } from '@purse/sdk'
import { QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense, type ComponentType } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, Navigate, RouterProvider, useLocation } from 'react-router'
import { Failed, Loading } from './common/states.tsx'
import './global.css'
import { Shell } from './layout/Shell.tsx'
import { queryClient } from './purse.ts'
import { useSession } from './session.ts'
import { theme } from './theme.ts'

// Each screen is its own chunk: the first load fetches only what it shows.
const SignIn = lazy(() => import('./auth/SignIn.tsx'))
const SignUp = lazy(() => import('./auth/SignUp.tsx'))
const VerifyEmail = lazy(() => import('./auth/VerifyEmail.tsx'))
const ForgotPassword = lazy(() => import('./auth/ForgotPassword.tsx'))
const ResetPassword = lazy(() => import('./auth/ResetPassword.tsx'))
const Home = lazy(() => import('./home/Home.tsx'))
const Send = lazy(() => import('./send/Send.tsx'))
const History = lazy(() => import('./history/History.tsx'))
const Requests = lazy(() => import('./requests/Requests.tsx'))
const TransferPage = lazy(() => import('./transfers/TransferPage.tsx'))
const WalletPage = lazy(() => import('./wallets/WalletPage.tsx'))
const AddMoney = lazy(() => import('./add_money/AddMoney.tsx'))
const Account = lazy(() => import('./account/Account.tsx'))
const NotFound = lazy(() => import('./layout/NotFound.tsx'))

/** A screen for a signed-in person; anyone else signs in first and comes back here. */
function Signed({ screen: Screen }: { screen: ComponentType<{ user: User }> }) {
  const session = useSession()
  const location = useLocation()
  if (session.isPending) return <Loading label="Opening Purse" />
  if (session.isError) return <Failed error={session.error} retry={() => void session.refetch()} />
  if (!session.data) {
    const next = `${location.pathname}${location.search}`
    return (
      <Navigate
        to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`}
        replace
      />
    )
  }
  return (
    <Shell user={session.data}>
      <Suspense fallback={<Loading />}>
        <Screen user={session.data} />
      </Suspense>
    </Shell>
  )
}

function Open({ screen: Screen }: { screen: ComponentType }) {
  return (
    <Suspense fallback={<Loading />}>
      <Screen />
    </Suspense>
  )
}

const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <Open screen={SignIn} /> },
    { path: '/sign-up', element: <Open screen={SignUp} /> },
    { path: '/verify-email', element: <Open screen={VerifyEmail} /> },
    { path: '/forgot-password', element: <Open screen={ForgotPassword} /> },
    { path: '/reset-password', element: <Open screen={ResetPassword} /> },
    { path: '/', element: <Signed screen={Home} /> },
    { path: '/send', element: <Signed screen={Send} /> },
    { path: '/history', element: <Signed screen={History} /> },
    { path: '/requests', element: <Signed screen={Requests} /> },
    { path: '/transfers/:id', element: <Signed screen={TransferPage} /> },
    { path: '/wallets/:currency', element: <Signed screen={WalletPage} /> },
    { path: '/add-money', element: <Signed screen={AddMoney} /> },
    { path: '/account', element: <Signed screen={Account} /> },
    { path: '*', element: <Signed screen={NotFound} /> },
  ],
  { basename: '/app' }
)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ThemeProvider>
  </StrictMode>
)
