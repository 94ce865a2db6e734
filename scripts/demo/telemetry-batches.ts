// The demo's extension telemetry, written the way devices post it to /api/v1/telemetry: one line per batch,
// `{device, batch}`, where `device` is what the device token would name and `batch` is the request body.
import { LineWriter } from './line-writer.js'

export interface DemoTelemetryEvent {
  eventId: string
  deviceId: string
  userEmail: string
  domain: string
  kind: string
  occurredAt: string
  /** Consent events: what the consent URL named. */
  provider?: string
  clientId?: string
  scopes?: string[]
}

/** Events per batch: what an extension gathers between two sends on a busy day. */
const EVENTS_PER_BATCH = 25

export class TelemetryBatchWriter {
  private readonly out: LineWriter
  private readonly pending = new Map<string, Omit<DemoTelemetryEvent, 'deviceId'>[]>()
  private readonly sent = new Map<string, number>()

  constructor(readonly path: string) {
    this.out = new LineWriter(path)
  }

  get records(): number {
    return this.out.records
  }

  line(event: DemoTelemetryEvent): Promise<void> | undefined {
    const { deviceId, ...rest } = event
    const list = this.pending.get(deviceId) ?? []
    list.push(rest)
    this.pending.set(deviceId, list)
    return list.length >= EVENTS_PER_BATCH ? this.send(deviceId) : undefined
  }

  private send(device: string): Promise<void> | undefined {
    const events = this.pending.get(device) ?? []
    this.pending.delete(device)
    if (events.length === 0) return undefined
    const n = (this.sent.get(device) ?? 0) + 1
    this.sent.set(device, n)
    return this.out.line({ device, batch: { batchId: `${device.slice(0, 8)}-${n}`, deviceId: 'chrome-profile-1', events } })
  }

  async close(): Promise<void> {
    for (const device of [...this.pending.keys()]) await this.send(device)
    await this.out.close()
  }
}
