import { useState } from 'react'
import { useNotify, useRefresh } from 'react-admin'
import { describe } from './ErrorState.tsx'

/**
 * One audited console action: runs it once at a time, says how it went,
 * and reloads the screen on success. `run` resolves true when it succeeded.
 */
export function useAction() {
  const notify = useNotify()
  const refresh = useRefresh()
  const [busy, setBusy] = useState(false)
  async function run<T>(
    action: () => Promise<T>,
    success: string | ((result: T) => string)
  ): Promise<boolean> {
    setBusy(true)
    try {
      const result = await action()
      notify(typeof success === 'string' ? success : success(result), { type: 'success' })
      refresh()
      return true
    } catch (error) {
      notify(describe(error), { type: 'error' })
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, run }
}
