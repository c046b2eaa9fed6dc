import env, { access_token_ttl_minutes_max } from '#start/env'

/** Access tokens: HS256 only, short-lived; refresh tokens: opaque, rotated. */
export default {
  /** Signing key first; a previous key still verifies during a rotation. */
  secrets: [env.get('JWT_SECRET'), env.get('JWT_PREVIOUS_SECRET')]
    .filter((s) => s !== undefined)
    .map((s) => new TextEncoder().encode(s!.release())),
  issuer: env.get('JWT_ISSUER', 'purse'),
  audience: env.get('JWT_AUDIENCE', 'purse-api'),
  accessTokenTtlSeconds: env.get('ACCESS_TOKEN_TTL_MINUTES', 15) * 60,
  /**
   * The longest lifetime any replica may give an access token. Replicas can
   * run with different settings during a rollout, and this one's setting may
   * have been lowered since a token was issued: a revocation of a session
   * must outlive every token of it, not only those issued here and now.
   */
  accessTokenTtlSecondsMax: access_token_ttl_minutes_max * 60,
  refreshTokenTtlDays: env.get('REFRESH_TOKEN_TTL_DAYS', 7),
}
