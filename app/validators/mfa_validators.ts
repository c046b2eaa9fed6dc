import vine from '@vinejs/vine'
import { displayText } from '#validators/display_text'
import { newEmailRule } from '#validators/email'
import { characters } from '#validators/text_length'

/** WebAuthn's base64url fields; a credential id is at most 1,023 bytes. */
const b64url = (max: number) =>
  vine
    .string()
    .maxLength(max)
    .regex(/^[\w-]*$/)

/** What a browser's navigator.credentials answers, as JSON (the WebAuthn Level 3 shape). */
const credentialBase = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: vine.enum(['public-key'] as const),
  clientExtensionResults: vine.object({}).allowUnknownProperties(),
  authenticatorAttachment: vine.enum(['platform', 'cross-platform'] as const).optional(),
}

const assertion = vine.object({
  ...credentialBase,
  response: vine.object({
    clientDataJSON: b64url(4000),
    authenticatorData: b64url(4000),
    // Post-quantum signatures (ML-DSA, which Chromium's authenticators offer) are ~4.4 kB.
    signature: b64url(8000),
    userHandle: b64url(200).optional(),
  }),
})

const attestation = vine.object({
  ...credentialBase,
  response: vine.object({
    clientDataJSON: b64url(4000),
    attestationObject: b64url(16_000),
    transports: vine.array(vine.string().maxLength(20)).maxLength(10).optional(),
    authenticatorData: b64url(16_000).optional(),
    publicKey: b64url(8000).optional(),
    publicKeyAlgorithm: vine.number().withoutDecimals().optional(),
  }),
})

const code = () => vine.string().regex(/^\d{6}$/)
const recoveryCode = () => vine.string().trim().minLength(1).maxLength(40)
const uuid = () => vine.string().uuid()

/** Exactly one of the three proofs is checked, in this order: passkey, code, recovery code. */
export const mfaLoginValidator = vine.create({
  mfa_token: vine.string().minLength(1).maxLength(200),
  code: code().optional(),
  recovery_code: recoveryCode().optional(),
  passkey: assertion.optional(),
})

export const mfaTokenValidator = vine.create({
  mfa_token: vine.string().minLength(1).maxLength(200),
})

export const stepUpValidator = vine.create({
  code: code().optional(),
  challenge_id: uuid().optional(),
  passkey: assertion.optional(),
})

export const totpCodeValidator = vine.create({ code: code() })

export const passkeyRegistrationValidator = vine.create({
  challenge_id: uuid(),
  response: attestation,
  name: displayText(60, 1).optional(),
})

export const passkeyLoginValidator = vine.create({
  challenge_id: uuid(),
  response: assertion,
})

export const changeEmailValidator = vine.create({
  email: newEmailRule(),
  current_password: vine.string().use(characters({ min: 1, max: 128 })),
})
