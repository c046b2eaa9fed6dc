import AccountCircle from '@mui/icons-material/AccountCircle'
import History from '@mui/icons-material/History'
import Home from '@mui/icons-material/Home'
import RequestQuote from '@mui/icons-material/RequestQuote'
import Send from '@mui/icons-material/Send'
import Alert from '@mui/material/Alert'
import AppBar from '@mui/material/AppBar'
import BottomNavigation from '@mui/material/BottomNavigation'
import BottomNavigationAction from '@mui/material/BottomNavigationAction'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Container from '@mui/material/Container'
import Paper from '@mui/material/Paper'
import Snackbar from '@mui/material/Snackbar'
import Toolbar from '@mui/material/Toolbar'
import useMediaQuery from '@mui/material/useMediaQuery'
import type { User } from '@purse/sdk'
import { lazy, Suspense, type ReactNode } from 'react'
import { Link, useLocation } from 'react-router'
import { useLiveUpdates } from '../live.ts'
import { theme } from '../theme.ts'
import { Brand } from './Brand.tsx'

// Asked for only around large payments and account changes: loaded after the page.
const StepUpDialog = lazy(() => import('../common/StepUpDialog.tsx'))

const sections = [
  { to: '/', label: 'Home', icon: <Home /> },
  { to: '/send', label: 'Send', icon: <Send /> },
  { to: '/requests', label: 'Requests', icon: <RequestQuote /> },
  { to: '/history', label: 'History', icon: <History /> },
  { to: '/account', label: 'Account', icon: <AccountCircle /> },
]

/** The section a path belongs to ("/transfers/…" is History's). */
function sectionOf(path: string): string {
  if (path.startsWith('/transfers')) return '/history'
  return sections.find((s) => s.to !== '/' && path.startsWith(s.to))?.to ?? '/'
}

/**
 * The signed-in frame: the brand and the sections, in a bar on a desktop
 * and along the bottom on a phone, where the thumb is; live news of money
 * arriving; a frozen account said plainly on every screen.
 */
export function Shell({ user, children }: { user: User; children: ReactNode }) {
  const wide = useMediaQuery(theme.breakpoints.up('md'))
  const current = sectionOf(useLocation().pathname)
  const { news, dismiss } = useLiveUpdates(user)
  return (
    <Box sx={{ minHeight: '100vh', pb: wide ? 4 : 10 }}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppBar position="sticky" color="primary">
        <Toolbar component="nav" aria-label="Sections">
          <Brand />
          {wide && (
            <Box sx={{ ml: 'auto', display: 'flex', gap: 1 }}>
              {sections.map((s) => (
                <Button
                  key={s.to}
                  component={Link}
                  to={s.to}
                  color="inherit"
                  startIcon={s.icon}
                  aria-current={current === s.to ? 'page' : undefined}
                  sx={{
                    opacity: current === s.to ? 1 : 0.85,
                    borderBottom: current === s.to ? '2px solid' : 'none',
                    borderRadius: 0,
                  }}
                >
                  {s.label}
                </Button>
              ))}
            </Box>
          )}
        </Toolbar>
      </AppBar>
      <Container
        component="main"
        id="main"
        tabIndex={-1}
        maxWidth="sm"
        sx={{ pt: 3, outline: 'none' }}
      >
        {user.status === 'frozen' && (
          <Alert severity="warning" sx={{ mb: 2 }}>
            Your account is frozen: you can't send or add money. Contact support to find out why.
          </Alert>
        )}
        {children}
      </Container>
      <Suspense fallback={null}>
        <StepUpDialog />
      </Suspense>
      {!wide && (
        <Paper
          component="nav"
          aria-label="Sections"
          square
          sx={{ position: 'fixed', bottom: 0, left: 0, right: 0, zIndex: 10 }}
        >
          <BottomNavigation showLabels value={current}>
            {sections.map((s) => (
              <BottomNavigationAction
                key={s.to}
                component={Link}
                to={s.to}
                value={s.to}
                label={s.label}
                icon={s.icon}
                aria-current={current === s.to ? 'page' : undefined}
              />
            ))}
          </BottomNavigation>
        </Paper>
      )}
      <Snackbar
        key={news?.id}
        open={news !== null}
        autoHideDuration={8000}
        onClose={dismiss}
        anchorOrigin={{ vertical: wide ? 'bottom' : 'top', horizontal: 'center' }}
      >
        <Alert severity="success" onClose={dismiss} variant="filled" role="status">
          {news?.text}
        </Alert>
      </Snackbar>
    </Box>
  )
}
