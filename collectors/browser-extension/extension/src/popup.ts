// Shows exactly what was sent, from the extension's own log; text only (textContent), never markup.
interface SentBatch { at: string; batchId: string; status: string; events: Record<string, unknown>[] }
interface Stored { state?: { deviceId: string; queue: unknown[]; inflight: { events: unknown[] } | null; sent: SentBatch[]; lastError: string | null } }

function cell(row: HTMLTableRowElement, text: string): void {
  const td = row.insertCell()
  td.textContent = text
}

async function render(): Promise<void> {
  const { state } = (await chrome.storage.local.get('state')) as Stored
  const managed = await chrome.storage.managed.get(null).catch(() => ({}))
  const status = document.getElementById('status') as HTMLElement
  const waiting = (state?.queue.length ?? 0) + (state?.inflight?.events.length ?? 0)
  status.textContent = `${'serverUrl' in managed ? `Server: ${String(managed['serverUrl'])}` : 'Not configured by your company: nothing is sent.'} ` +
    `Waiting to send: ${waiting}.${state?.lastError ? ` Last problem: ${state.lastError}` : ''}`
  const body = document.getElementById('sent') as HTMLTableSectionElement
  body.replaceChildren()
  for (const batch of state?.sent ?? []) {
    for (const e of batch.events) {
      const row = body.insertRow()
      cell(row, `${batch.at.replace('T', ' ').slice(0, 19)} (${batch.status.slice(0, 3)})`)
      cell(row, String(e['kind']))
      const { eventId: _id, kind: _kind, occurredAt: _at, ...rest } = e
      cell(row, JSON.stringify(rest))
    }
  }
}

void render()
