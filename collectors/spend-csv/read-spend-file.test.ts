import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import {
  SpendFileError,
  isSpendRowError,
  readSpendBatches,
  readSpendFile,
  type SpendReadOptions,
  type SpendReadStats,
  type SpendRow,
  type SpendRowError,
} from './index.js'

const FIXTURES = join(import.meta.dirname, 'fixtures')
const scratch = mkdtempSync(join(tmpdir(), 'spend-csv-test-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

interface ReadResult {
  rows: SpendRow[]
  errors: SpendRowError[]
  stats: SpendReadStats
}

async function read(file: string, opts: SpendReadOptions = {}): Promise<ReadResult> {
  const stats = {} as SpendReadStats
  const rows: SpendRow[] = []
  const errors: SpendRowError[] = []
  const path = file.startsWith('/') ? file : join(FIXTURES, file)
  for await (const item of readSpendFile(path, { ...opts, stats })) {
    if (isSpendRowError(item)) errors.push(item)
    else rows.push(item)
  }
  return { rows, errors, stats }
}

/** The fields most assertions care about, compact. */
function brief(row: SpendRow): [number, string, number, string, string] {
  return [row.line, row.postedOn, row.amountMinor, row.currency, row.merchantRaw]
}

async function readError(file: string, opts: SpendReadOptions = {}): Promise<SpendFileError> {
  try {
    await read(file, opts)
  } catch (error) {
    expect(error).toBeInstanceOf(SpendFileError)
    return error as SpendFileError
  }
  throw new Error(`expected ${file} to be refused`)
}

describe('named layouts', () => {
  it('reads Brex: purchases positive, refund negative, card payments skipped, duplicate charge kept twice', async () => {
    const { rows, errors, stats } = await read('brex.csv')
    expect(errors).toEqual([])
    expect(stats).toMatchObject({ layout: 'brex', encoding: 'utf8', delimiter: ',', headerLine: 1, rows: 5, errors: 0, skipped: 1 })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-01', 12000, 'USD', 'SQ *NOTION LABS INC'],
      [3, '2026-10-03', 149990, 'USD', 'ZOOM.US 888-799-9666 CA'],
      [4, '2026-10-03', 149990, 'USD', 'ZOOM.US 888-799-9666 CA'],
      [5, '2026-10-05', -4500, 'USD', 'ATLASSIAN SYDNEY'],
      [7, '2026-10-08', 2900, 'USD', 'FIGMA MONTHLY'],
    ])
    expect(rows[0]).toMatchObject({ cardholder: 'Dana Whitfield', cardLast4: '4417', department: 'Engineering', category: 'Software', memo: 'Team plan', externalId: 'dxt_4Fh81kLm2' })
    expect(rows[4]?.memo).toBeUndefined()
  })

  it('reads Ramp with a currency column, a decimal-comma EUR amount and a scientific-notation id kept as text', async () => {
    const { rows, errors } = await read('ramp.csv')
    expect(errors).toEqual([])
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 8750, 'USD', 'SLACK T0123ABCD'],
      [3, '2026-10-02', 80000, 'USD', 'HUBSPOT INC'],
      [4, '2026-10-04', 123456, 'EUR', 'MIRO.COM AMSTERDAM'],
      [5, '2026-10-09', -1225, 'USD', 'SLACK T0123ABCD'],
    ])
    expect(rows[0]?.externalId).toBe('4.12E+15')
    expect(rows[1]?.externalId).toBe('00012345')
    expect(rows[0]?.cardholderEmail).toBe('dana.whitfield@northwind.example')
  })

  it('reads the short Amex download: card from Account #, thousands separator, credits negative, bill payments skipped', async () => {
    const { rows, stats } = await read('amex.csv')
    expect(stats.layout).toBe('amex')
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-01', 14990, 'USD', 'ZOOM.US 888-799-9666 CA'],
      [3, '2026-10-13', 21000, 'USD', 'GITHUB INC SAN FRANCISCO CA'],
      [4, '2026-10-14', -4500, 'USD', 'ATLASSIAN SYDNEY'],
      [6, '2026-10-22', 123456, 'USD', 'SALESFORCE.COM SAN FRANCISCO CA'],
    ])
    expect(stats.skipped).toBe(1)
    expect(rows.map((r) => [r.cardholder, r.cardLast4])).toEqual([
      ['PRIYA RAMAN', '1004'],
      ['DANA WHITFIELD', '1012'],
      ['DANA WHITFIELD', '1012'],
      ['PRIYA RAMAN', '1004'],
    ])
  })

  it('reads the Amex extended-details download with multi-line quoted fields and counts physical lines', async () => {
    const { rows, errors, stats } = await read('amex-extended.csv')
    expect(errors).toEqual([])
    expect(stats).toMatchObject({ layout: 'amex', rows: 3, skipped: 0 })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 9600, 'USD', 'SQ *NOTION LABS INC'],
      [7, '2026-10-15', 222222, 'USD', 'DATADOG INC NEW YORK NY'],
      [9, '2026-10-16', -800, 'USD', 'LINEAR.APP'],
    ])
    expect(rows[0]).toMatchObject({
      memo: '00000009 SQ *NOTION LABS INC\nnotion.so\nSAN FRANCISCO\nCA',
      externalId: '320262750123456789',
      category: 'Business Services-Internet Services',
    })
  })

  it('reads Expensify (new): JPY has no minor unit, emails are lower-cased, the same-day duplicate stays', async () => {
    const { rows } = await read('expensify.csv')
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-03', 1499, 'USD', 'Canva'],
      [3, '2026-10-05', 1200, 'JPY', 'Sansan Tokyo'],
      [4, '2026-10-05', 1200, 'JPY', 'Sansan Tokyo'],
      [5, '2026-10-11', -1499, 'USD', 'Canva'],
    ])
    expect(rows[0]).toMatchObject({ cardholderEmail: 'marcus.lee@northwind.example', department: 'Design', category: 'Software', memo: 'Brand kit' })
  })

  it('reads Expensify classic: the report-currency Amount with the default currency, not Original Currency', async () => {
    const { rows, stats } = await read('expensify-classic.csv', { currency: 'usd' })
    expect(stats.layout).toBe('expensify')
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-06', 1500, 'USD', 'Loom'],
      [3, '2026-10-07', 2740, 'USD', 'Typeform Barcelona'],
    ])
    expect(rows[1]?.memo).toBe('Survey tool')
  })

  it('reads Navan: GBP, declined rows skipped, refunds negative', async () => {
    const { rows, stats } = await read('navan.csv')
    expect(stats).toMatchObject({ layout: 'navan', rows: 2, skipped: 1 })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 4500, 'GBP', 'FIGMA LONDON'],
      [4, '2026-10-09', -30000, 'USD', 'GONG.IO'],
    ])
    expect(rows[0]).toMatchObject({ cardholder: 'Lena Vogel', cardLast4: '7730', category: 'Software', externalId: 'nvn_100231' })
  })

  it('reads Chase: purchases written negative become positive, returns negative, payments skipped', async () => {
    const { rows, stats } = await read('chase.csv')
    expect(stats).toMatchObject({ layout: 'chase', rows: 4, skipped: 1 })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-01', 2000, 'USD', 'CURSOR  AI POWERED IDE'],
      [3, '2026-10-03', 9588, 'USD', '1PASSWORD TORONTO'],
      [4, '2026-10-06', -2000, 'USD', 'CURSOR  AI POWERED IDE'],
      [6, '2026-10-12', 45000, 'USD', 'DROPBOX*ABCD1234'],
    ])
  })

  it('reads Capital One: ISO dates, Debit positive, Credit negative', async () => {
    const { rows } = await read('capital-one.csv')
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 26250, 'USD', 'ASANA.COM'],
      [3, '2026-10-05', 7400, 'USD', 'INTERCOM INC'],
      [4, '2026-10-08', -5250, 'USD', 'ASANA.COM'],
    ])
    expect(rows[0]?.cardLast4).toBe('5158')
  })

  it('reads Mercury: money out negative becomes positive, failed rows skipped, raw bank descriptor preferred', async () => {
    const { rows, stats } = await read('mercury.csv')
    expect(stats).toMatchObject({ layout: 'mercury', rows: 3, skipped: 1 })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 2000, 'USD', 'VERCEL INC'],
      [4, '2026-10-13', 112000, 'USD', 'OPENAI *CHATGPT SUBSCR'],
      [5, '2026-10-14', -500, 'USD', 'VERCEL INC'],
    ])
    expect(rows[1]).toMatchObject({ cardholder: 'Dana Whitfield', cardholderEmail: 'dana.whitfield@northwind.example', cardLast4: '6776', memo: 'Team plan' })
  })

  it('reads Divvy: a Refund transaction type makes a positive amount negative; CAD with thousands', async () => {
    const { rows } = await read('divvy.csv')
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 1600, 'USD', 'CALENDLY'],
      [3, '2026-10-16', -1600, 'USD', 'CALENDLY'],
      [4, '2026-10-20', 102000, 'CAD', 'PANDADOC'],
    ])
    expect(rows[2]).toMatchObject({ department: 'Sales', cardholder: 'Priya Raman', externalId: 'dv_77003' })
  })

  it('can be forced to a layout by id', async () => {
    const { rows, stats } = await read('chase.csv', { layout: 'chase' })
    expect(stats.layout).toBe('chase')
    expect(rows).toHaveLength(4)
  })
})

describe('encodings and file shapes', () => {
  it('strips a UTF-8 byte-order mark and reads CRLF lines', async () => {
    const { rows, stats } = await read('chase-bom.csv')
    expect(stats).toMatchObject({ layout: 'chase', encoding: 'utf8' })
    expect(rows.map(brief)).toEqual([[2, '2026-10-01', 2900, 'USD', 'GITLAB INC']])
  })

  it.each([
    ['amex-utf16le.txt', 'utf16le'],
    ['amex-utf16be.txt', 'utf16be'],
  ])('reads Excel "Unicode text" %s (tab-delimited, BOM)', async (file, encoding) => {
    const { rows, stats } = await read(file)
    expect(stats).toMatchObject({ layout: 'amex', encoding, delimiter: '\t' })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-21', 108000, 'USD', 'MONDAY.COM NEW YORK'],
      [3, '2026-10-22', 1250, 'USD', 'MÜNCHEN CAFÉ SAAS GMBH'],
    ])
  })

  it('decodes a file that is not valid UTF-8 as Windows-1252', async () => {
    const { rows, stats } = await read('amex-cp1252.csv')
    expect(stats.encoding).toBe('windows-1252')
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-23', 4200, 'USD', 'Café Lumière Software'],
      [3, '2026-10-24', 1999, 'USD', '“SMART” QUOTES SaaS'],
    ])
    expect(rows[0]?.cardholder).toBe('RENÉE DUPONT')
  })

  it('checks the whole file for invalid UTF-8, not just its start, and is not fooled by a character split across reads', async () => {
    const header = 'Date,Description,Card Member,Account #,Amount\n'
    const row = '10/23/2026,LOOM INC,RENEE DUPONT,-71031,1.00\n'
    const filler = header + row.repeat(Math.ceil((1024 * 1024) / row.length))
    const late = join(scratch, 'late-cp1252.csv')
    writeFileSync(late, Buffer.concat([Buffer.from(filler), iconv.encode('10/24/2026,Caf\u00e9 Lumi\u00e8re,REN\u00c9E DUPONT,-71031,2.00\n', 'win1252')]))
    const lateRead = await read(late)
    expect(lateRead.stats.encoding).toBe('windows-1252')
    expect(lateRead.rows.at(-1)?.merchantRaw).toBe('Café Lumière')

    // Put a two-byte "é" exactly across the 1 MiB boundary of the encoding check.
    // (Rows fill most of the first MiB: one field that long would be over the field size cap.)
    const head = Buffer.from(header + row.repeat(Math.floor((1024 * 1024 - 4000) / row.length)))
    const pad = 1024 * 1024 - 1 - head.length - '10/25/2026,'.length
    const straddle = join(scratch, 'straddle-utf8.csv')
    writeFileSync(straddle, Buffer.concat([head, Buffer.from(`10/25/2026,${'X'.repeat(pad)}\u00e9,A,-1,3.00\n`)]))
    const straddleRead = await read(straddle)
    expect(straddleRead.stats.encoding).toBe('utf8')
    expect(straddleRead.errors).toEqual([])
    expect(straddleRead.rows.at(-1)?.merchantRaw.endsWith('Xé')).toBe(true)
  })

  it('skips account lines before the header, rows of only delimiters and the trailing Total', async () => {
    const { rows, errors, stats } = await read('chase-preamble-total.csv')
    expect(errors).toEqual([])
    expect(stats).toMatchObject({ layout: 'chase', headerLine: 5, rows: 5, skipped: 7 })
    expect(rows.map(brief)).toEqual([
      [6, '2026-10-01', 9600, 'USD', 'SQ *NOTION LABS INC'],
      [8, '2026-10-02', 2500, 'USD', 'ZOOM.US 888-799-9666 CA'],
      [9, '2026-10-03', 2159, 'USD', 'ATLASSIAN SYDNEY'],
      [10, '2026-10-04', 2159, 'USD', 'ATLASSIAN SYDNEY'],
      [11, '2026-10-05', -2159, 'USD', 'ATLASSIAN SYDNEY'],
    ])
  })

  it('skips a header row repeated mid-file (concatenated exports)', async () => {
    const path = join(scratch, 'concatenated.csv')
    writeFileSync(path, 'Date,Description,Amount,Extended Details,Appears On Your Statement As\n10/01/2026,LOOM,1.00,,\nDate,Description,Amount,Extended Details,Appears On Your Statement As\n11/01/2026,LOOM,2.00,,\n')
    const { rows, errors, stats } = await read(path)
    expect(errors).toEqual([])
    expect(stats.skipped).toBe(1)
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-01', 100, 'USD', 'LOOM'],
      [4, '2026-11-01', 200, 'USD', 'LOOM'],
    ])
  })

  it('tolerates rows with one field more or fewer than the header', async () => {
    const { rows, errors } = await read('ragged.csv')
    expect(errors).toEqual([])
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-01', 1500, 'USD', 'LOOM INC'],
      [3, '2026-10-02', 800, 'USD', 'MIRO.COM'],
      [4, '2026-10-03', 2000, 'USD', 'CLOUDFLARE'],
    ])
  })

  it('reports bad rows with their line, field, reason and raw text, and keeps reading', async () => {
    const { rows, errors, stats } = await read('bad-rows.csv')
    expect(stats).toMatchObject({ rows: 3, errors: 4 })
    expect(rows.map((r) => r.line)).toEqual([2, 6, 9])
    expect(rows[1]?.merchantRaw).toBe('GRAMMARLY\nINC')
    expect(errors).toEqual([
      { line: 3, field: 'date', reason: 'not a MM/DD/YYYY date', raw: '13/45/2026', error: true },
      { line: 4, field: 'amount', reason: 'no digits', raw: 'abc', error: true },
      { line: 5, field: 'merchant', reason: 'missing merchant', raw: '10/04/2026,10/05/2026,,Shopping,Sale,-3.00,', error: true },
      { line: 8, field: 'amount', reason: 'no digits', raw: '--', error: true },
    ])
  })

  it('gives the same rows and lines whatever the chunk size, across multi-line fields and multibyte text', async () => {
    // Larger than the 64 KiB dialect sniff, so tiny chunks really cut records, quotes and characters.
    const lines = ['Date,Description,Card Member,Account #,Amount,Extended Details']
    for (let i = 0; i < 1500; i++) {
      const day = (i % 28) + 1
      lines.push(`10/${String(day).padStart(2, '0')}/2026,"CAFÉ ZÜRICH ${i}, GMBH",RENÉE DUPONT,-71031,"${i.toLocaleString('en-US')}.50","line one ${i}\nline two €\nline three"`)
    }
    const text = `${lines.join('\r\n')}\r\n`
    const utf8Path = join(scratch, 'multiline-utf8.csv')
    const utf16Path = join(scratch, 'multiline-utf16.txt')
    writeFileSync(utf8Path, text)
    writeFileSync(utf16Path, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]))
    const reference = await read(utf8Path)
    expect(reference.rows).toHaveLength(1500)
    expect(reference.rows[1499]).toMatchObject({ line: 2 + 1499 * 3, amountMinor: 149950, merchantRaw: 'CAFÉ ZÜRICH 1499, GMBH' })
    for (const chunkBytes of [61, 4096]) {
      expect((await read(utf8Path, { chunkBytes })).rows).toEqual(reference.rows)
      expect((await read(utf16Path, { chunkBytes })).rows).toEqual(reference.rows)
    }
  })

  it('streams in batches with accurate line numbers over a large file', async () => {
    const path = join(scratch, 'large.csv')
    const count = 100_000
    const parts = ['Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n']
    for (let i = 0; i < count; i++) parts.push(`10/${String((i % 28) + 1).padStart(2, '0')}/2026,,ZOOM.US 888-799-9666 CA,Software,Sale,-${(i % 500) + 1}.25,\n`)
    writeFileSync(path, parts.join(''))
    let rows = 0
    let batches = 0
    let last: SpendRow | undefined
    for await (const batch of readSpendBatches(path)) {
      batches++
      for (const item of batch) {
        if (isSpendRowError(item)) throw new Error(`unexpected error row ${JSON.stringify(item)}`)
        rows++
        last = item
      }
    }
    expect(rows).toBe(count)
    expect(batches).toBeGreaterThan(10)
    expect(last).toMatchObject({ line: count + 1, amountMinor: ((count - 1) % 500 + 1) * 100 + 25, postedOn: '2026-10-12' })
  })
})

describe('generic layout', () => {
  const semicolonMapping = { date: 'Buchungstag', merchant: 'Empfänger', amount: 'Betrag', currency: 'Währung', card: 'Karte', department: 'Kostenstelle' }

  it('reads a semicolon file with decimal commas, inferring DD.MM from a day above 12', async () => {
    const { rows, stats } = await read('generic-semicolon.csv', { mapping: semicolonMapping, sign: 'purchase-negative' })
    expect(stats).toMatchObject({ layout: 'generic', delimiter: ';' })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-01', 10590, 'EUR', 'SQ *NOTION LABS INC'],
      [3, '2026-10-13', 123456, 'EUR', 'ATLASSIAN SYDNEY'],
      [4, '2026-10-14', 45000, 'EUR', 'HETZNER ONLINE GMBH'],
      [5, '2026-10-15', -2159, 'EUR', 'ATLASSIAN SYDNEY'],
    ])
    expect(rows[0]).toMatchObject({ cardLast4: '4417', department: 'Engineering' })
  })

  it('reads a headerless file by 1-based positions', async () => {
    const { rows, stats } = await read('generic-headerless.csv', { mapping: { date: 1, merchant: 2, amount: 3, currency: 4 } })
    expect(stats.headerLine).toBe(0)
    expect(rows.map(brief)).toEqual([
      [1, '2026-10-02', 9600, 'USD', 'SQ *NOTION LABS INC'],
      [2, '2026-10-13', 14990, 'USD', 'ZOOM.US 888-799-9666 CA'],
      [3, '2026-10-14', -4500, 'USD', 'ATLASSIAN SYDNEY'],
    ])
  })

  it('refuses to guess day/month order when no date settles it, and reads it once told', async () => {
    const mapping = { date: 'Date', merchant: 'Payee', amount: 'Amount' }
    const error = await readError('generic-ambiguous.csv', { mapping })
    expect(error.message).toBe(
      'spend-csv: read dates: ' + join(FIXTURES, 'generic-ambiguous.csv') + ', line 2, field date: day/month order is ambiguous: ' +
        'no date in the file has a day above 12 (first: "01/02/2026"); pass the dateFormat option, e.g. dateFormat: "DD/MM/YYYY" or "MM/DD/YYYY"',
    )
    expect(error).toMatchObject({ line: 2, field: 'date' })
    const { rows } = await read('generic-ambiguous.csv', { mapping, dateFormat: 'DD/MM/YYYY' })
    expect(rows.map((r) => r.postedOn)).toEqual(['2026-02-01', '2026-04-03', '2026-12-11'])
  })

  it('makes credit-flagged rows negative and debit-flagged rows positive', async () => {
    const { rows } = await read('generic-direction.csv', { mapping: { date: 'Posted', merchant: 'Merchant', amount: 'Amount', direction: 'Dr/Cr', card: 'Card' } })
    expect(rows.map((r) => r.amountMinor)).toEqual([24000, -4000, 1900])
  })

  it('reads separate money-out and money-in columns with a default currency', async () => {
    const { rows } = await read('generic-debit-credit.csv', { mapping: { date: 'Date', merchant: 'Details', debit: 'Money Out', credit: 'Money In' }, currency: 'gbp' })
    expect(rows.map(brief)).toEqual([
      [2, '2026-10-02', 120000, 'GBP', 'POSTMAN INC'],
      [3, '2026-10-14', -30000, 'GBP', 'POSTMAN INC'],
    ])
  })

  it('names the mapped headers it could not find', async () => {
    const error = await readError('generic-debit-credit.csv', { mapping: { date: 'Date', merchant: 'Vendor', debit: 'Money Out', credit: 'Money In' } })
    expect(error.message).toContain('map columns')
    expect(error.message).toContain('merchant (mapped to "Vendor")')
    expect(error.message).toContain('headers found: "Date", "Details", "Money Out", "Money In"')
  })
})

describe('file-level errors', () => {
  it('lists the headers found, the layouts known and how to pass a mapping for an unknown layout', async () => {
    const error = await readError('unknown-layout.csv')
    expect(error.message).toMatch(/^spend-csv: detect layout: .*unknown-layout\.csv, line 1: no known layout matches the header row/)
    expect(error.message).toContain('headers found: "When", "Who", "What", "HowMuch"')
    expect(error.message).toContain('known layouts: brex, ramp, amex, expensify, navan, chase, capital-one, mercury, divvy')
    expect(error.message).toContain('--mapping "date=')
    expect(error.line).toBe(1)
  })

  it('refuses a missing file, naming it', async () => {
    const error = await readError(join(scratch, 'nope.csv'))
    expect(error.message).toMatch(/^spend-csv: open file: .*nope\.csv: ENOENT/)
  })

  it('refuses an empty file', async () => {
    const error = await readError('empty.csv')
    expect(error.message).toMatch(/empty\.csv: the file has no rows$/)
  })

  it('refuses a forced layout whose columns are not in the file', async () => {
    const error = await readError('amex.csv', { layout: 'chase' })
    expect(error.message).toContain('no header row has the chase columns for date (one of "Transaction Date")')
    expect(error.field).toBe('date')
  })

  it('refuses unknown layout ids and bad options before reading', async () => {
    expect((await readError('amex.csv', { layout: 'visa' })).message).toContain('unknown layout "visa"; known layouts: brex')
    expect((await readError('amex.csv', { currency: 'dollars' })).message).toContain('currency "dollars" is not an ISO 4217 code')
    expect((await readError('amex.csv', { encoding: 'ebcdic' })).message).toContain('unsupported encoding "ebcdic"')
  })
})
