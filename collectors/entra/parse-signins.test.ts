import { describe, expect, it } from 'vitest'
import { parseSigninText, SigninFileError } from './parse-signins.js'

const SIGNIN = {
  id: '66ea54eb-6301-4ee5-be62-ff5a759b0100',
  createdDateTime: '2026-11-20T08:01:02Z',
  userDisplayName: 'Alice Lane',
  userPrincipalName: 'Alice.Lane@Northwind.example',
  userId: 'd7e0c7a0-0000-4000-8000-000000000001',
  appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
  appDisplayName: 'Graph Explorer',
  ipAddress: '203.0.113.7',
  status: { errorCode: 0 },
  location: { city: 'Berlin', state: 'Berlin', countryOrRegion: 'DE' },
}
const EXPECTED = {
  type: 'signin',
  eventId: SIGNIN.id,
  occurredAt: '2026-11-20T08:01:02.000Z',
  userExternalId: SIGNIN.userId,
  email: 'alice.lane@northwind.example',
  app: { sourceAppId: SIGNIN.appId, ref: SIGNIN.appId, signals: [{ kind: 'sso_app', value: 'Graph Explorer' }, { kind: 'oauth_client', value: SIGNIN.appId }] },
  result: 'success',
  ip: '203.0.113.7',
  userAgent: null,
  country: 'DE',
}
const parse = (text: string, name = 'signins.json') => parseSigninText(Buffer.from(text), name)

describe('parseSigninText', () => {
  it('should read a Graph page with its nextLink', () => {
    const parsed = parse(JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns', value: [SIGNIN], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=abc' }))
    expect(parsed).toMatchObject({ layout: 'graph-json', read: 1, errors: [] })
    expect(parsed.records).toEqual([EXPECTED])
  })

  it('should read Graph pages and bare sign-ins one per line', () => {
    const parsed = parse([JSON.stringify({ value: [SIGNIN] }), '', JSON.stringify({ ...SIGNIN, id: 'second', status: { errorCode: 50126 } })].join('\n'), 'signins.jsonl')
    expect(parsed.layout).toBe('graph-jsonl')
    expect(parsed.records.map((r) => [r.eventId, r.result])).toEqual([[SIGNIN.id, 'success'], ['second', 'failure']])
  })

  it('should read the admin center JSON download (an array of sign-ins)', () => {
    const parsed = parse(JSON.stringify([SIGNIN]))
    expect(parsed.layout).toBe('portal-json')
    expect(parsed.records).toEqual([EXPECTED])
  })

  it('should read an Azure Monitor blob and keep only user sign-in categories', () => {
    const record = (category: string, props: object) => ({ time: '2026-11-20T08:01:02.1234567Z', resourceId: '/tenants/x/providers/Microsoft.aadiam', operationName: 'Sign-in activity', category, resultType: '0', properties: props })
    const blob = { records: [record('SignInLogs', SIGNIN), record('ServicePrincipalSignInLogs', { id: 'sp', createdDateTime: SIGNIN.createdDateTime }), record('NonInteractiveUserSignInLogs', { ...SIGNIN, id: 'ni', createdDateTime: undefined })] }
    const parsed = parse(JSON.stringify(blob), 'PT1H.json')
    expect(parsed).toMatchObject({ layout: 'azure-monitor', read: 2, skipped: 1, errors: [] })
    expect(parsed.records[0]).toEqual(EXPECTED)
    // A record without createdDateTime in its properties takes the envelope's time.
    expect(parsed.records[1]).toMatchObject({ eventId: 'ni', occurredAt: '2026-11-20T08:01:02.123Z' })
  })

  it('should read event hub records one per line', () => {
    const line = JSON.stringify({ time: SIGNIN.createdDateTime, category: 'SignInLogs', properties: SIGNIN })
    const parsed = parse(`${line}\n${line.replace(SIGNIN.id, 'other')}\n`, 'eventhub.jsonl')
    expect(parsed.layout).toBe('azure-monitor-jsonl')
    expect(parsed.records.map((r) => r.eventId)).toEqual([SIGNIN.id, 'other'])
  })

  it('should read the admin center CSV download with its padded headers and location text', () => {
    const csv = [
      'Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,User type,Application,Application ID ,Resource,Resource ID ,IP address,Location,Status,Sign-in error code,Failure reason,Client app',
      `2026-11-20T08:01:02Z,${SIGNIN.id},Mozilla/5.0,c1,${SIGNIN.userId},Alice Lane,Alice.Lane@Northwind.example,Member,Graph Explorer,${SIGNIN.appId},Microsoft Graph,00000003-0000-0000-c000-000000000000,203.0.113.7,"Berlin, Berlin, DE",Success,0,Other.,Browser`,
      `11/21/2026 3:04:05 PM,r-2,,c2,${SIGNIN.userId},Alice Lane,alice.lane@northwind.example,Member,Slack,,Slack,,198.51.100.1,"Austin, Texas, US",Failure,50126,"Error validating credentials due to invalid username or password.",Browser`,
    ].join('\r\n')
    const parsed = parseSigninText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), 'InteractiveSignIns_2026-11-20_2026-11-21.csv')
    expect(parsed).toMatchObject({ layout: 'portal-csv', read: 2, errors: [] })
    expect(parsed.records[0]).toEqual({ ...EXPECTED, userAgent: 'Mozilla/5.0' })
    expect(parsed.records[1]).toMatchObject({ eventId: 'r-2', occurredAt: '2026-11-21T15:04:05.000Z', result: 'failure', country: 'US', app: { sourceAppId: null, ref: 'Slack' } })
  })

  it('should name file, line and field for bad rows and keep the good ones', () => {
    const csv = ['Date (UTC),Request ID,Username,Application,Application ID,Status', '2026-11-20T08:01:02Z,a,x@y.example,App,,Success', 'yesterday,b,x@y.example,App,,Success', '2026-11-20T08:01:02Z,,x@y.example,App,,Success', '2026-11-20T08:01:02Z,d,x@y.example,,,Success'].join('\n')
    const parsed = parse(csv, 'signins.csv')
    expect(parsed.records.map((r) => r.eventId)).toEqual(['a'])
    expect(parsed.errors).toEqual([
      'signins.csv: line 3: field Date (UTC): invalid time "yesterday"',
      'signins.csv: line 4: field Request ID: missing sign-in id',
      'signins.csv: line 5: field Application ID: neither appId nor appDisplayName',
    ])
    const json = parse(`${JSON.stringify(SIGNIN)}\n{broken\n${JSON.stringify({ ...SIGNIN, createdDateTime: 'soon' })}\n`, 'x.jsonl')
    expect(json.errors).toEqual([expect.stringMatching(/^x\.jsonl: line 2: field record: not valid JSON/), 'x.jsonl: line 3: field createdDateTime: invalid time "soon"'])
  })

  it('should refuse a CSV without the columns that identify a sign-in, naming the columns it found', () => {
    expect(() => parse('User,Application\nA,B\n', 'wrong.csv')).toThrow(SigninFileError)
    expect(() => parse('User,Application\nA,B\n', 'wrong.csv')).toThrow('wrong.csv: line 1: field Date (UTC): missing column (columns: User, Application)')
  })
})
