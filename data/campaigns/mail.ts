import nodemailer from 'nodemailer'
import type { MailTransport } from './outbox.js'

export interface SmtpSettings {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; the password is a secret and never logged. */
  url: string
  from: string
}

/** A nodemailer SMTP transport for the outbox. */
export function createSmtpTransport(settings: SmtpSettings): MailTransport & { close(): void } {
  let url: URL
  try {
    url = new URL(settings.url)
  } catch {
    throw new Error('mail: SMTP URL is not a URL (use smtp://host:port or smtps://user:pass@host:465)')
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`mail: SMTP URL must start with smtp:// or smtps://, not ${url.protocol}//`)
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    // A local relay without TLS is common for self-hosting; STARTTLS is still used when the server offers it.
    ignoreTLS: url.searchParams.get('tls') === 'off',
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
  })
  return {
    async sendMail(message) {
      const info = await transport.sendMail(message)
      return { messageId: info.messageId }
    },
    close: () => transport.close(),
  }
}
