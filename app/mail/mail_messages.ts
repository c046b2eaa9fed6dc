import string from '@adonisjs/core/helpers/string'
import { walletUrl } from '#config/app'

/** A mail ready for the outbox: plain text, and the same as simple HTML. */
export interface RenderedMail {
  kind: string
  to: string
  subject: string
  text: string
  html: string
}

/**
 * Links carry their token after `#`: a fragment never reaches a server's
 * access log or another site's Referer header; the web wallet's page reads
 * it and posts it to the API.
 */
export function walletLink(page: string, token: string) {
  return `${walletUrl}/${page}#token=${token}`
}

/** One paragraph per string; a link as its own paragraph. */
function render(kind: string, to: string, subject: string, lines: (string | { link: string })[]) {
  const text = lines.map((line) => (typeof line === 'string' ? line : line.link)).join('\n\n')
  const body = lines
    .map((line) =>
      typeof line === 'string'
        ? `<p>${string.escapeHTML(line)}</p>`
        : `<p><a href="${string.escapeHTML(line.link)}">${string.escapeHTML(line.link)}</a></p>`
    )
    .join('\n')
  const html = `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>`
  return { kind, to, subject, text: `${text}\n\n— Purse\n`, html }
}

export const mailMessages = {
  verifyEmail(to: string, name: string, link: string, ttlHours: number): RenderedMail {
    return render('verify_email', to, 'Confirm your email address for Purse', [
      `Hello ${name},`,
      'Confirm that this is your email address to start sending money with Purse:',
      { link },
      `The link works once and for ${ttlHours} hours. If you did not sign up for Purse, ignore this mail.`,
    ])
  },

  passwordReset(to: string, link: string, ttlMinutes: number): RenderedMail {
    return render('password_reset', to, 'Reset your Purse password', [
      'Someone asked to reset the password of the Purse account of this address. To choose a new password, open:',
      { link },
      `The link works once and for ${ttlMinutes} minutes. Resetting signs you out everywhere. If it was not you, ignore this mail: your password stays as it is.`,
    ])
  },

  passwordChanged(to: string): RenderedMail {
    return render('password_changed', to, 'Your Purse password was changed', [
      'The password of your Purse account was just changed, and your other sessions were ended.',
      'If this was not you, reset your password at once and contact support.',
    ])
  },

  newDevice(to: string, device: string, network: string, when: Date): RenderedMail {
    return render('new_device', to, 'New sign-in to your Purse account', [
      `Your Purse account was signed in to from a device not seen before: ${device}, network ${network}, at ${when.toISOString()}.`,
      'If this was you, there is nothing to do. If not, change your password and end that session under Account → Sessions.',
    ])
  },

  /** A second factor added or removed: the person hears of it, whoever did it. */
  securityChange(to: string, change: string): RenderedMail {
    return render('security_change', to, `Purse: ${change}`, [
      `On your Purse account: ${change}.`,
      'If this was not you, change your password at once, end your other sessions under Account, and contact support.',
    ])
  },

  confirmNewEmail(to: string, name: string, link: string, ttlHours: number): RenderedMail {
    return render('confirm_new_email', to, 'Confirm your new email address for Purse', [
      `Hello ${name},`,
      'Confirm that this is the new email address of your Purse account:',
      { link },
      `The link works once and for ${ttlHours} hours. Until then your account keeps its current address. If you did not ask for this, ignore this mail.`,
    ])
  },

  moneyWaiting(to: string, sender: string, amount: string, until: Date): RenderedMail {
    return render('money_waiting', to, `${sender} sent you ${amount} on Purse`, [
      `${sender} sent you ${amount} with Purse.`,
      `To receive it, create a Purse account with this email address and confirm the address, by ${until.toISOString().slice(0, 10)}:`,
      { link: `${walletUrl}/sign-up` },
      'After that date the money goes back to them. If you do not know them, ignore this mail.',
    ])
  },

  moneyReturned(to: string, recipient: string, amount: string): RenderedMail {
    return render('money_returned', to, `Your ${amount} to ${recipient} came back`, [
      `${recipient} did not claim the ${amount} you sent them in time, so it is back in your wallet.`,
    ])
  },

  emailChanged(to: string, newAddress: string): RenderedMail {
    return render('email_changed', to, 'The email address of your Purse account was changed', [
      `The email address of your Purse account is now ${newAddress}; mail for the account goes there from now on.`,
      'If this was not you, contact support at once.',
    ])
  },
}
