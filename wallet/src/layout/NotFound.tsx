import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { Link } from 'react-router'

export default function NotFound() {
  return (
    <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
      <Typography variant="h2" component="h1">
        Page not found
      </Typography>
      <Typography>There's nothing at this address. The link may be old or mistyped.</Typography>
      <Button component={Link} to="/" variant="contained">
        Back to Home
      </Button>
    </Stack>
  )
}
