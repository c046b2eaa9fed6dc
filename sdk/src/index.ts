/** @purse/sdk: a typed client for the Purse public API. */
export {
  createPurseClient,
  type PurseClient,
  type PurseClientOptions,
  type RequestOptions,
  type SecondFactorProof,
} from './client.ts'
export type {
  Transfer,
  Wallet,
  User,
  Session,
  SignedInSession,
  AdminTransfer,
  AdminOverview,
  UserWithWallets,
  Statement,
  AuditEntry,
  SendMoney,
  ApiKey,
  Scope,
  EventType,
  WebhookEndpoint,
  WebhookAttempt,
  SecondFactors,
  Passkey,
  PaymentRequest,
  Proposal,
  LimitState,
  Claim,
} from './client.ts'
export { type PurseEvent, type EventStreamOptions } from './event_stream.ts'
export { verifyWebhook, PurseWebhookError } from './webhooks.ts'
export {
  PurseApiError,
  PurseNetworkError,
  mfaChallengeOf,
  type ProblemCode,
  type Problem,
} from './errors.ts'
export {
  memoryTokenStore,
  localStorageTokenStore,
  sessionStorageTokenStore,
  type TokenStore,
  type Tokens,
} from './tokens.ts'
export { parseAmount, formatAmount, currencyExponent, decimalMark } from './money.ts'
export type { paths, components } from './generated/public.ts'
