import { PurseApiError } from '@purse/sdk'

export interface Ask {
  refusal: PurseApiError
  done: (steppedUp: boolean) => void
}

/** The question waiting for the dialog, which may still be loading when it is asked. */
let waiting: Ask | null = null
let show: ((ask: Ask) => void) | null = null

/** The dialog listens here; it is handed the question asked before it was ready. */
export function answerStepUps(listener: (ask: Ask) => void) {
  show = listener
  if (waiting) listener(waiting)
  return () => {
    show = null
  }
}

/**
 * Runs `work`; when the API answers step_up_required, asks the person for
 * their second factor and runs it once more. The caller keeps its own
 * Idempotency-Key, so the payment refused first is the one made after.
 */
export async function withStepUp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof PurseApiError) || error.code !== 'step_up_required') throw error
    const steppedUp = await new Promise<boolean>((resolve) => {
      waiting = {
        refusal: error,
        done: (answer) => {
          waiting = null
          resolve(answer)
        },
      }
      show?.(waiting)
    })
    if (!steppedUp) throw error
    return work()
  }
}
