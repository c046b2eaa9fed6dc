import Box from '@mui/material/Box'
import Paper from '@mui/material/Paper'
import Typography from '@mui/material/Typography'
import { useEffect, useState, type ReactNode } from 'react'
import { Brand } from '../layout/Brand.tsx'

/** The frame of the screens anyone may open: the brand, a title, and what the screen holds. */
export function OpenCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="main" sx={{ minHeight: '100vh', display: 'grid', placeItems: 'center', p: 2 }}>
      <Paper sx={{ p: { xs: 3, sm: 5 }, width: '100%', maxWidth: 420 }}>
        <Box sx={{ mb: 3, color: 'primary.main' }}>
          <Brand color="inherit" />
        </Box>
        <Typography variant="h2" component="h1" sx={{ mb: 3 }}>
          {title}
        </Typography>
        {children}
      </Paper>
    </Box>
  )
}

/**
 * The token of a mailed link (`#token=…`). Once the page has it, it is taken
 * out of the address bar, so it stays out of the history and of shared
 * screens. Read without side effects: a render may run again before it
 * commits (a lazy screen suspends), and must find the token again.
 */
export function useLinkToken(): string {
  const [token] = useState(
    () => new URLSearchParams(globalThis.location.hash.slice(1)).get('token') ?? ''
  )
  useEffect(() => {
    if (!token) return
    globalThis.history.replaceState(
      globalThis.history.state,
      '',
      `${globalThis.location.pathname}${globalThis.location.search}`
    )
  }, [token])
  return token
}
