/**
 * The time codes are checked against. Tests set `now` to step through
 * authenticator-app codes without waiting; everything else reads the clock.
 */
export const clock = {
  now: (): number => Date.now(),
}
