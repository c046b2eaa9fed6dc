import Alert from '@mui/material/Alert'
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'

/** Shown once: the person keeps them somewhere safe before going on. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert severity="warning" role="region" aria-label="Recovery codes">
      <Stack spacing={1}>
        <Typography>
          Save these recovery codes somewhere safe. Each signs you in once if you lose your device.
          They are shown only now.
        </Typography>
        <Typography
          component="ul"
          data-testid="recovery-codes"
          sx={{ fontFamily: 'monospace', columns: { xs: 1, sm: 2 }, pl: 2, m: 0 }}
        >
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </Typography>
        <Button variant="outlined" onClick={onDone}>
          I saved them
        </Button>
      </Stack>
    </Alert>
  )
}
