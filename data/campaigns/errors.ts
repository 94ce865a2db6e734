/** What went wrong, as a closed set the CLI maps to exit codes and the web app to HTTP statuses. */
export type CampaignErrorCode = 'not-found' | 'invalid' | 'conflict' | 'forbidden'

/** An expected refusal of a campaign operation; the message is meant for the person who asked. */
export class CampaignError extends Error {
  constructor(
    readonly code: CampaignErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'CampaignError'
  }
}

export const notFound = (what: string): CampaignError => new CampaignError('not-found', `${what} does not exist`)
export const invalid = (message: string): CampaignError => new CampaignError('invalid', message)
export const forbidden = (message: string): CampaignError => new CampaignError('forbidden', message)
export const conflict = (message: string): CampaignError => new CampaignError('conflict', message)
