import vine from '@vinejs/vine'
import { characters } from '#validators/text_length'

/**
 * Text other people are shown (a sender's name, a payment's description):
 * no control characters (line breaks included), and no bidirectional
 * overrides or isolates (U+202A–U+202E, U+2066–U+2069), which can make a
 * name read as someone else's. Joiners stay: names and emoji need them.
 */
const display_text_pattern = /^[^\p{Cc}\u202A-\u202E\u2066-\u2069]*$/u

/** Trimmed, then from `min` to `max` characters (code points). */
export function displayText(max: number, min = 0) {
  return vine.string().trim().use(characters({ min, max })).regex(display_text_pattern)
}
