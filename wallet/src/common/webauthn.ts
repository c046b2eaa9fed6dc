/**
 * The browser's passkey ceremonies on the options the API gave. The answers
 * go back to the API as they are; only the API decides what they prove.
 * The library loads when a passkey is first used, not with every page.
 */
export const passkeysSupported = () => typeof globalThis.PublicKeyCredential === 'function'

export async function signWithPasskey(options: unknown): Promise<Record<string, unknown>> {
  const { startAuthentication } = await import('@simplewebauthn/browser')
  return (await startAuthentication({ optionsJSON: options as never })) as never
}

export async function createPasskey(options: unknown): Promise<Record<string, unknown>> {
  const { startRegistration } = await import('@simplewebauthn/browser')
  return (await startRegistration({ optionsJSON: options as never })) as never
}

/** The person closed the browser's passkey prompt, or it timed out: not an error to show as one. */
export function passkeyCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')
}
