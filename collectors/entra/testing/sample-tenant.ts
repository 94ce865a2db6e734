import { MICROSOFT_GRAPH_APP_ID } from '../map-records.js'
import type { FakeTenantData } from './fake-graph.js'

// A small tenant in Graph's wire shape: four users, enterprise apps with and without assignments, a
// consented third-party app holding Graph and Exchange scopes, a tenant-wide consent, and sign-ins.

export const TENANT_ID = '7c1f0a3e-5b2d-4e8f-9a61-0d2c4b6e8f10'
export const MICROSOFT_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'

export const IDS = {
  alice: '1a0d3b5e-0001-4c11-8e21-000000000001',
  bob: '1a0d3b5e-0002-4c11-8e21-000000000002',
  carol: '1a0d3b5e-0003-4c11-8e21-000000000003',
  guest: '1a0d3b5e-0004-4c11-8e21-000000000004',
  group: '9b9b9b9b-0001-4c11-8e21-0000000000aa',
  graphSp: '2b000000-0000-4000-8000-000000000001',
  exchangeSp: '2b000000-0000-4000-8000-000000000002',
  salesforceSp: '2b000000-0000-4000-8000-000000000003',
  slackSp: '2b000000-0000-4000-8000-000000000004',
  driftnoteSp: '2b000000-0000-4000-8000-000000000005',
  identitySp: '2b000000-0000-4000-8000-000000000006',
  salesforceApp: '3c000000-0000-4000-8000-000000000003',
  slackApp: '3c000000-0000-4000-8000-000000000004',
  driftnoteApp: '3c000000-0000-4000-8000-000000000005',
  slackAdminRole: '4d000000-0000-4000-8000-000000000001',
} as const

const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000'
const INTEGRATED = ['WindowsAzureActiveDirectoryIntegratedApp']

export function sampleTenant(): FakeTenantData {
  const org = 'northwind.example'
  const manager = (id: string, name: string) => ({ id, mail: `${name}@${org}`, userPrincipalName: `${name}@${org}` })
  return {
    tenantId: TENANT_ID,
    users: [
      { id: IDS.alice, displayName: 'Alice Lane', givenName: 'Alice', surname: 'Lane', mail: `Alice.Lane@${org}`, userPrincipalName: `alice.lane@${org}`, accountEnabled: true, department: 'Sales', jobTitle: 'Account Executive', employeeType: 'Employee', employeeId: 'E100', employeeHireDate: '2023-02-01T00:00:00Z', officeLocation: 'Berlin', userType: 'Member', manager: manager(IDS.bob, 'bob.stone') },
      { id: IDS.bob, displayName: 'Bob Stone', givenName: 'Bob', surname: 'Stone', mail: `bob.stone@${org}`, userPrincipalName: `bob.stone@${org}`, accountEnabled: true, department: 'Sales', jobTitle: 'Head of Sales', employeeType: 'Employee', employeeId: 'E101', employeeHireDate: null, officeLocation: 'Berlin', userType: 'Member', manager: null },
      { id: IDS.carol, displayName: 'Carol Reyes', givenName: 'Carol', surname: 'Reyes', mail: null, userPrincipalName: `carol.reyes@${org}`, accountEnabled: false, department: 'Engineering', jobTitle: 'Contract Developer', employeeType: 'Contractor', employeeId: null, employeeHireDate: null, officeLocation: null, userType: 'Member', manager: manager(IDS.bob, 'bob.stone') },
      { id: IDS.guest, displayName: 'Dana Partner', givenName: 'Dana', surname: 'Partner', mail: 'dana@partner.example', userPrincipalName: `dana_partner.example#EXT#@${org}`, accountEnabled: true, department: null, jobTitle: null, employeeType: null, employeeId: null, employeeHireDate: null, officeLocation: null, userType: 'Guest', manager: null },
    ],
    servicePrincipals: [
      { id: IDS.graphSp, appId: MICROSOFT_GRAPH_APP_ID, displayName: 'Microsoft Graph', accountEnabled: true, appOwnerOrganizationId: MICROSOFT_TENANT, servicePrincipalType: 'Application', servicePrincipalNames: [MICROSOFT_GRAPH_APP_ID, 'https://graph.microsoft.com', 'https://graph.microsoft.com/'], tags: [], appRoles: [] },
      { id: IDS.exchangeSp, appId: EXCHANGE_APP_ID, displayName: 'Office 365 Exchange Online', accountEnabled: true, appOwnerOrganizationId: MICROSOFT_TENANT, servicePrincipalType: 'Application', servicePrincipalNames: [EXCHANGE_APP_ID, 'https://outlook.office365.com/', 'https://outlook.office.com/'], tags: [], appRoles: [] },
      { id: IDS.salesforceSp, appId: IDS.salesforceApp, displayName: 'Salesforce', accountEnabled: true, appOwnerOrganizationId: TENANT_ID, appRoleAssignmentRequired: true, servicePrincipalType: 'Application', servicePrincipalNames: [IDS.salesforceApp], preferredSingleSignOnMode: 'saml', tags: INTEGRATED, appRoles: [] },
      { id: IDS.slackSp, appId: IDS.slackApp, displayName: 'Slack', accountEnabled: true, appOwnerOrganizationId: TENANT_ID, appRoleAssignmentRequired: true, servicePrincipalType: 'Application', servicePrincipalNames: [IDS.slackApp], preferredSingleSignOnMode: 'saml', tags: INTEGRATED, appRoles: [{ id: IDS.slackAdminRole, displayName: 'Workspace Admin', value: 'admin' }] },
      { id: IDS.driftnoteSp, appId: IDS.driftnoteApp, displayName: 'Driftnote', accountEnabled: true, appOwnerOrganizationId: '5e000000-0000-4000-8000-00000000d71f', appRoleAssignmentRequired: false, servicePrincipalType: 'Application', servicePrincipalNames: [IDS.driftnoteApp], preferredSingleSignOnMode: null, tags: INTEGRATED, appRoles: [] },
      { id: IDS.identitySp, appId: '3c000000-0000-4000-8000-0000000000ff', displayName: 'build-agent-identity', accountEnabled: true, appOwnerOrganizationId: null, servicePrincipalType: 'ManagedIdentity', servicePrincipalNames: [], tags: [], appRoles: [] },
    ],
    assignments: [
      { id: 'AsgSf-alice-0000000000000001', appRoleId: '00000000-0000-0000-0000-000000000000', createdDateTime: '2024-03-01T09:00:00Z', principalDisplayName: 'Alice Lane', principalId: IDS.alice, principalType: 'User', resourceDisplayName: 'Salesforce', resourceId: IDS.salesforceSp },
      { id: 'AsgSf-bob-00000000000000002', appRoleId: '00000000-0000-0000-0000-000000000000', createdDateTime: '2024-01-15T09:00:00Z', principalDisplayName: 'Bob Stone', principalId: IDS.bob, principalType: 'User', resourceDisplayName: 'Salesforce', resourceId: IDS.salesforceSp },
      { id: 'AsgSf-group-000000000000003', appRoleId: '00000000-0000-0000-0000-000000000000', createdDateTime: '2024-01-15T09:00:00Z', principalDisplayName: 'Sales', principalId: IDS.group, principalType: 'Group', resourceDisplayName: 'Salesforce', resourceId: IDS.salesforceSp },
      { id: 'AsgSl-alice-0000000000000004', appRoleId: '00000000-0000-0000-0000-000000000000', createdDateTime: '2024-05-02T10:00:00Z', principalDisplayName: 'Alice Lane', principalId: IDS.alice, principalType: 'User', resourceDisplayName: 'Slack', resourceId: IDS.slackSp },
      { id: 'AsgSl-alice-0000000000000005', appRoleId: IDS.slackAdminRole, createdDateTime: '2024-06-02T10:00:00Z', principalDisplayName: 'Alice Lane', principalId: IDS.alice, principalType: 'User', resourceDisplayName: 'Slack', resourceId: IDS.slackSp },
      { id: 'AsgSl-carol-0000000000000006', appRoleId: '00000000-0000-0000-0000-000000000000', createdDateTime: '2024-07-01T10:00:00Z', principalDisplayName: 'Carol Reyes', principalId: IDS.carol, principalType: 'User', resourceDisplayName: 'Slack', resourceId: IDS.slackSp },
    ],
    grants: [
      { id: 'GrDn-alice-graph-000000000001', clientId: IDS.driftnoteSp, consentType: 'Principal', principalId: IDS.alice, resourceId: IDS.graphSp, scope: ' openid profile User.Read Mail.ReadWrite' },
      { id: 'GrDn-alice-exo-00000000000002', clientId: IDS.driftnoteSp, consentType: 'Principal', principalId: IDS.alice, resourceId: IDS.exchangeSp, scope: 'EWS.AccessAsUser.All' },
      { id: 'GrDn-bob-graph-0000000000003', clientId: IDS.driftnoteSp, consentType: 'Principal', principalId: IDS.bob, resourceId: IDS.graphSp, scope: 'User.Read' },
      { id: 'GrSl-all-graph-0000000000004', clientId: IDS.slackSp, consentType: 'AllPrincipals', principalId: null, resourceId: IDS.graphSp, scope: 'openid profile email User.Read' },
    ],
    signIns: [
      signIn('SiA1', '2026-11-20T08:01:02Z', IDS.alice, `alice.lane@${org}`, IDS.salesforceApp, 'Salesforce', 0, 'DE'),
      signIn('SiA2', '2026-11-21T09:30:00Z', IDS.alice, `alice.lane@${org}`, IDS.slackApp, 'Slack', 0, 'DE'),
      signIn('SiB1', '2026-11-21T10:00:00Z', IDS.bob, `bob.stone@${org}`, IDS.salesforceApp, 'Salesforce', 50126, 'DE'),
      signIn('SiC1', '2026-11-22T11:15:00Z', IDS.carol, `carol.reyes@${org}`, IDS.slackApp, 'Slack', 0, 'US'),
      signIn('SiA3', '2026-11-23T12:00:00Z', IDS.alice, `alice.lane@${org}`, '00000003-0000-0ff1-ce00-000000000000', 'Office 365 SharePoint Online', 0, 'DE'),
    ],
  }
}

function signIn(tag: string, at: string, userId: string, upn: string, appId: string, app: string, errorCode: number, country: string) {
  return {
    id: `5f${tag.toLowerCase()}0000-0000-4000-8000-000000000000`.slice(0, 36),
    createdDateTime: at,
    userDisplayName: upn.split('@')[0]!,
    userPrincipalName: upn,
    userId,
    appId,
    appDisplayName: app,
    ipAddress: '203.0.113.7',
    clientAppUsed: 'Browser',
    isInteractive: true,
    status: { errorCode, failureReason: errorCode === 0 ? 'Other.' : 'Error validating credentials due to invalid username or password.' },
    location: { city: 'Berlin', state: 'Berlin', countryOrRegion: country },
  }
}
