// The app-profile table of the demo company: every SaaS product Northwind Labs touches, with the raw identifiers
// each source shows for it (SSO label, OAuth client, card descriptor, domain). Keys come from .coord/APP_KEYS.md;
// invented vendors that no catalog knows use `unknown:<slug>`.

export type OktaSignOnMode = 'SAML_2_0' | 'OPENID_CONNECT' | 'AUTO_LOGIN'

export type SsoBinding =
  | { readonly idp: 'okta'; readonly oktaName: string; readonly label: string; readonly signOnMode: OktaSignOnMode; readonly status: 'ACTIVE' | 'INACTIVE' }
  /** An Entra enterprise app with user assignments (appRoleAssignments). */
  | { readonly idp: 'entra'; readonly displayName: string; readonly appId: string }
  /** Google Workspace acting as SAML IdP (set up by a team, outside IT): not sanctioned by definition. */
  | { readonly idp: 'google-saml'; readonly applicationName: string }

export interface AppProfile {
  readonly key: string
  readonly name: string
  readonly vendor: string
  readonly category: string
  readonly domains: readonly string[]
  /** False for invented vendors that are in no catalog. */
  readonly catalogued: boolean
  /** Consumer services (category `personal`): hard negatives for "is this company SaaS". */
  readonly personal: boolean
  readonly sso: SsoBinding | null
  /** Google third-party OAuth client: display name as tokens.list shows it, and the everyday (low-risk) scopes. */
  readonly googleOAuth: { readonly displayText: string; readonly scopes: readonly string[] } | null
  /** Multi-tenant Entra app users consent to: display name and everyday delegated scopes. */
  readonly entraOAuth: { readonly displayName: string; readonly scopes: string } | null
  /** Card statement descriptors, exactly as they print. */
  readonly merchants: readonly string[]
  /** USD cents per seat per month; 0 when not seat-billed. */
  readonly seatPriceMinor: number
  /** Flat monthly charge in USD cents for non-seat plans (or personal subscriptions). */
  readonly flatPriceMinor: number
  readonly billing: 'monthly' | 'annual' | 'none'
  /** Stated for readers; a test checks it equals the GROUND_TRUTH.md definition applied to `sso`. */
  readonly sanctioned: boolean
}

const G = 'https://www.googleapis.com/auth/'
const OIDC = ['openid', `${G}userinfo.email`, `${G}userinfo.profile`] as const

function app(p: Partial<AppProfile> & Pick<AppProfile, 'key' | 'name' | 'vendor' | 'category' | 'domains'>): AppProfile {
  return {
    catalogued: true,
    personal: false,
    sso: null,
    googleOAuth: null,
    entraOAuth: null,
    merchants: [],
    seatPriceMinor: 0,
    flatPriceMinor: 0,
    billing: 'none',
    sanctioned: false,
    ...p,
  }
}

function okta(oktaName: string, label: string, signOnMode: OktaSignOnMode = 'SAML_2_0', status: 'ACTIVE' | 'INACTIVE' = 'ACTIVE'): SsoBinding {
  return { idp: 'okta', oktaName, label, signOnMode, status }
}

export const APPS: readonly AppProfile[] = [
  // --- Sanctioned through Okta (ACTIVE app integrations) ---
  app({ key: 'google-workspace', name: 'Google Workspace', vendor: 'Google', category: 'productivity-suite', domains: ['workspace.google.com', 'mail.google.com', 'drive.google.com'], sso: okta('google', 'Google Workspace'), merchants: ['GOOGLE *GSUITE_northwind.example'], seatPriceMinor: 1400, billing: 'monthly', sanctioned: true }),
  app({ key: 'microsoft-365', name: 'Microsoft 365', vendor: 'Microsoft', category: 'productivity-suite', domains: ['office.com', 'outlook.office.com', 'microsoft365.com'], sso: okta('office365', 'Microsoft Office 365', 'SAML_2_0'), merchants: ['MSFT * E0300QK7TZ 800-642-7676 WA'], seatPriceMinor: 1250, billing: 'monthly', sanctioned: true }),
  app({ key: 'slack', name: 'Slack', vendor: 'Salesforce', category: 'team-chat', domains: ['slack.com', 'northwind-labs.slack.com'], sso: okta('slack', 'Slack'), googleOAuth: { displayText: 'Slack', scopes: [...OIDC, `${G}drive.readonly`, `${G}calendar.readonly`] }, merchants: ['SLACK T02H7KQ9L3 SAN FRANCISCO CA'], seatPriceMinor: 875, billing: 'monthly', sanctioned: true }),
  app({ key: 'zoom', name: 'Zoom', vendor: 'Zoom Video Communications', category: 'video-meetings', domains: ['zoom.us', 'northwind.zoom.us'], sso: okta('zoomus', 'Zoom'), googleOAuth: { displayText: 'Zoom', scopes: [...OIDC, `${G}calendar.events`] }, merchants: ['ZOOM.US 888-799-9666 CA'], seatPriceMinor: 1333, billing: 'monthly', sanctioned: true }),
  app({ key: 'notion', name: 'Notion', vendor: 'Notion Labs', category: 'knowledge-base', domains: ['notion.so', 'www.notion.so'], sso: okta('notion', 'Notion'), googleOAuth: { displayText: 'Notion', scopes: [...OIDC, `${G}drive.readonly`] }, merchants: ['NOTION LABS, INC. SAN FRANCISCO CA'], seatPriceMinor: 1000, billing: 'monthly', sanctioned: true }),
  app({ key: 'jira', name: 'Jira', vendor: 'Atlassian', category: 'issue-tracking', domains: ['northwind-labs.atlassian.net', 'atlassian.com'], sso: okta('atlassian', 'Jira Software'), merchants: ['ATLASSIAN B.V. AMSTERDAM NL'], seatPriceMinor: 815, billing: 'monthly', sanctioned: true }),
  app({ key: 'confluence', name: 'Confluence', vendor: 'Atlassian', category: 'knowledge-base', domains: ['northwind-labs.atlassian.net'], sso: okta('northwindlabs_confluence_1', 'Confluence'), sanctioned: true }),
  app({ key: 'github', name: 'GitHub', vendor: 'GitHub', category: 'source-control', domains: ['github.com'], sso: okta('githubcloud', 'GitHub Enterprise Cloud - Organization'), merchants: ['GITHUB, INC. SAN FRANCISCO CA'], seatPriceMinor: 2100, billing: 'monthly', sanctioned: true }),
  app({ key: 'datadog', name: 'Datadog', vendor: 'Datadog', category: 'observability', domains: ['app.datadoghq.com', 'datadoghq.com'], sso: okta('datadog', 'Datadog'), merchants: ['DATADOG INC NEW YORK NY'], flatPriceMinor: 1845000, billing: 'monthly', sanctioned: true }),
  app({ key: 'sentry', name: 'Sentry', vendor: 'Functional Software', category: 'error-tracking', domains: ['sentry.io'], sso: okta('sentry', 'Sentry'), merchants: ['FUNCTIONAL SOFTWARE SENTRY.IO CA'], flatPriceMinor: 260000, billing: 'monthly', sanctioned: true }),
  app({ key: 'pagerduty', name: 'PagerDuty', vendor: 'PagerDuty', category: 'incident-management', domains: ['northwind.pagerduty.com', 'pagerduty.com'], sso: okta('pagerduty', 'PagerDuty'), merchants: ['PAGERDUTY INC SAN FRANCISCO CA'], seatPriceMinor: 4100, billing: 'monthly', sanctioned: true }),
  app({ key: 'postman', name: 'Postman', vendor: 'Postman', category: 'api-tools', domains: ['postman.com', 'web.postman.co'], sso: okta('postman', 'Postman'), merchants: ['POSTMAN, INC. SAN FRANCISCO CA'], seatPriceMinor: 1900, billing: 'monthly', sanctioned: true }),
  app({ key: 'figma', name: 'Figma', vendor: 'Figma', category: 'design', domains: ['figma.com', 'www.figma.com'], sso: okta('figma', 'Figma'), googleOAuth: { displayText: 'Figma', scopes: [...OIDC] }, merchants: ['FIGMA INC SAN FRANCISCO CA'], seatPriceMinor: 4500, billing: 'annual', sanctioned: true }),
  app({ key: 'miro', name: 'Miro', vendor: 'Miro', category: 'whiteboard', domains: ['miro.com'], sso: okta('miro', 'Miro'), googleOAuth: { displayText: 'Miro', scopes: [...OIDC, `${G}drive.file`] }, merchants: ['MIRO.COM AMSTERDAM NL'], seatPriceMinor: 1600, billing: 'monthly', sanctioned: true }),
  app({ key: 'lucid', name: 'Lucid', vendor: 'Lucid Software', category: 'diagramming', domains: ['lucid.app', 'lucidchart.com'], sso: okta('lucidchart', 'Lucid'), googleOAuth: { displayText: 'Lucid', scopes: [...OIDC, `${G}drive.file`] }, merchants: ['LUCID SOFTWARE INC SOUTH JORDAN UT'], seatPriceMinor: 900, billing: 'monthly', sanctioned: true }),
  app({ key: 'salesforce', name: 'Salesforce', vendor: 'Salesforce', category: 'crm', domains: ['northwind.my.salesforce.com', 'salesforce.com', 'lightning.force.com'], sso: okta('salesforce', 'Salesforce.com'), merchants: ['SALESFORCE.COM SAN FRANCISCO CA'], seatPriceMinor: 16500, billing: 'monthly', sanctioned: true }),
  app({ key: 'gong', name: 'Gong', vendor: 'Gong.io', category: 'revenue-intelligence', domains: ['app.gong.io', 'gong.io'], sso: okta('gong', 'Gong'), merchants: ['GONG.IO INC PALO ALTO CA'], seatPriceMinor: 10000, billing: 'monthly', sanctioned: true }),
  app({ key: 'zoominfo', name: 'ZoomInfo', vendor: 'ZoomInfo', category: 'sales-intelligence', domains: ['app.zoominfo.com', 'zoominfo.com'], sso: okta('zoominfo', 'ZoomInfo', 'AUTO_LOGIN'), merchants: ['ZOOMINFO TECHNOLOGIES VANCOUVER WA'], seatPriceMinor: 12500, billing: 'monthly', sanctioned: true }),
  app({ key: 'linkedin-sales-navigator', name: 'LinkedIn Sales Navigator', vendor: 'LinkedIn', category: 'sales-intelligence', domains: ['linkedin.com'], sso: okta('linkedin_sales_navigator', 'LinkedIn Sales Navigator', 'AUTO_LOGIN'), merchants: ['LINKEDIN P14682823 LNKD.IN/BILL CA'], seatPriceMinor: 9999, billing: 'monthly', sanctioned: true }),
  app({ key: 'zendesk', name: 'Zendesk', vendor: 'Zendesk', category: 'customer-support', domains: ['northwind.zendesk.com', 'zendesk.com'], sso: okta('zendesk', 'Zendesk'), merchants: ['ZENDESK INC SAN FRANCISCO CA'], seatPriceMinor: 5500, billing: 'monthly', sanctioned: true }),
  app({ key: 'hubspot', name: 'HubSpot', vendor: 'HubSpot', category: 'marketing-automation', domains: ['app.hubspot.com', 'hubspot.com'], sso: okta('hubspot', 'HubSpot'), googleOAuth: { displayText: 'HubSpot', scopes: [...OIDC, `${G}gmail.readonly`, `${G}calendar.events`] }, merchants: ['HUBSPOT INC CAMBRIDGE MA'], seatPriceMinor: 9000, billing: 'monthly', sanctioned: true }),
  app({ key: 'docusign', name: 'DocuSign', vendor: 'Docusign', category: 'e-signature', domains: ['app.docusign.com', 'docusign.net'], sso: okta('docusign', 'DocuSign'), merchants: ['DOCUSIGN INC 877-720-2040 CA'], seatPriceMinor: 4000, billing: 'monthly', sanctioned: true }),
  app({ key: 'greenhouse', name: 'Greenhouse', vendor: 'Greenhouse Software', category: 'recruiting', domains: ['app.greenhouse.io', 'greenhouse.io'], sso: okta('greenhouse', 'Greenhouse Recruiting'), merchants: ['GREENHOUSE SOFTWARE NEW YORK NY'], flatPriceMinor: 650000, billing: 'monthly', sanctioned: true }),
  app({ key: 'lattice', name: 'Lattice', vendor: 'Lattice', category: 'performance-management', domains: ['northwind.latticehq.com', 'lattice.com'], sso: okta('lattice', 'Lattice'), merchants: ['LATTICE HR INC SAN FRANCISCO CA'], seatPriceMinor: 1100, billing: 'monthly', sanctioned: true }),
  app({ key: 'bamboohr', name: 'BambooHR', vendor: 'BambooHR', category: 'hris', domains: ['northwind.bamboohr.com', 'bamboohr.com'], sso: okta('bamboohr', 'BambooHR'), merchants: ['BAMBOOHR LINDON UT'], seatPriceMinor: 800, billing: 'monthly', sanctioned: true }),
  app({ key: 'expensify', name: 'Expensify', vendor: 'Expensify', category: 'expense-management', domains: ['www.expensify.com', 'expensify.com'], sso: okta('expensify', 'Expensify'), merchants: ['EXPENSIFY, INC. PORTLAND OR'], seatPriceMinor: 900, billing: 'monthly', sanctioned: true }),
  app({ key: '1password', name: '1Password', vendor: 'AgileBits', category: 'password-manager', domains: ['northwind.1password.com', '1password.com'], sso: okta('1password', '1Password', 'OPENID_CONNECT'), merchants: ['1PASSWORD TORONTO ON'], seatPriceMinor: 799, billing: 'monthly', sanctioned: true }),

  // --- Okta integrations left INACTIVE (not sanctioned by definition) ---
  app({ key: 'lastpass', name: 'LastPass', vendor: 'LastPass', category: 'password-manager', domains: ['lastpass.com'], sso: okta('lastpass', 'LastPass Enterprise', 'SAML_2_0', 'INACTIVE'), merchants: ['LASTPASS.COM BOSTON MA'], flatPriceMinor: 360000, billing: 'annual' }),
  app({ key: 'webex', name: 'Webex', vendor: 'Cisco', category: 'video-meetings', domains: ['webex.com', 'northwind.webex.com'], sso: okta('cisco_webex', 'Cisco Webex', 'SAML_2_0', 'INACTIVE'), merchants: ['CISCO WEBEX 888-469-3239 CA'], flatPriceMinor: 14500, billing: 'monthly' }),

  // --- Sanctioned through Entra (enterprise apps with assignments) ---
  app({ key: 'microsoft-teams', name: 'Microsoft Teams', vendor: 'Microsoft', category: 'video-meetings', domains: ['teams.microsoft.com'], sso: { idp: 'entra', displayName: 'Microsoft Teams', appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264' }, sanctioned: true }),
  app({ key: 'adobe-creative-cloud', name: 'Adobe Creative Cloud', vendor: 'Adobe', category: 'design', domains: ['creativecloud.adobe.com', 'adobe.com'], sso: { idp: 'entra', displayName: 'Adobe Creative Cloud', appId: '9ac61f4f-4b2a-4c0a-8b67-a1d5d8f4f2a1' }, merchants: ['ADOBE *CREATIVE CLOUD 800-833-6687 CA'], seatPriceMinor: 8999, billing: 'monthly', sanctioned: true }),
  app({ key: 'netsuite', name: 'NetSuite', vendor: 'Oracle', category: 'erp', domains: ['system.netsuite.com', 'netsuite.com'], sso: { idp: 'entra', displayName: 'NetSuite', appId: '3b5c1a9e-6d8f-4e2a-9c7b-0f1e2d3c4b5a' }, merchants: ['ORACLE*NETSUITE SAN MATEO CA'], seatPriceMinor: 12900, billing: 'monthly', sanctioned: true }),
  app({ key: 'smartsheet', name: 'Smartsheet', vendor: 'Smartsheet', category: 'project-management', domains: ['app.smartsheet.com', 'smartsheet.com'], sso: { idp: 'entra', displayName: 'Smartsheet', appId: '7e2d4c6b-1a3f-4b5e-8d9c-2f4a6b8c0d1e' }, merchants: ['SMARTSHEET INC BELLEVUE WA'], seatPriceMinor: 2400, billing: 'monthly', sanctioned: true }),

  // --- Google Workspace as SAML IdP (a Marketing-built shortcut; unsanctioned) ---
  app({ key: 'canva', name: 'Canva', vendor: 'Canva', category: 'design', domains: ['canva.com', 'www.canva.com'], sso: { idp: 'google-saml', applicationName: 'Canva' }, merchants: ['CANVA* I04412967 SYDNEY AU'], seatPriceMinor: 1000, billing: 'monthly' }),
  app({ key: 'hootsuite', name: 'Hootsuite', vendor: 'Hootsuite', category: 'social-media-management', domains: ['hootsuite.com'], sso: { idp: 'google-saml', applicationName: 'Hootsuite' }, merchants: ['HOOTSUITE MEDIA INC VANCOUVER BC'], flatPriceMinor: 74900, billing: 'monthly' }),

  // --- Catalogued, not sanctioned: seen in spend, grants, sign-ins or telemetry ---
  app({ key: 'gotomeeting', name: 'GoTo Meeting', vendor: 'GoTo', category: 'video-meetings', domains: ['meet.goto.com', 'goto.com'], merchants: ['GOTO.COM*GOTOMEETING BOSTON MA'], flatPriceMinor: 1600, billing: 'monthly' }),
  app({ key: 'loom', name: 'Loom', vendor: 'Atlassian', category: 'video-messaging', domains: ['loom.com', 'www.loom.com'], googleOAuth: { displayText: 'Loom', scopes: [...OIDC] }, merchants: ['LOOM, INC. SAN FRANCISCO CA'], flatPriceMinor: 1500, billing: 'monthly' }),
  app({ key: 'calendly', name: 'Calendly', vendor: 'Calendly', category: 'scheduling', domains: ['calendly.com'], googleOAuth: { displayText: 'Calendly', scopes: [...OIDC, `${G}calendar.events`, `${G}calendar.readonly`] }, merchants: ['CALENDLY.COM ATLANTA GA'], flatPriceMinor: 1200, billing: 'monthly' }),
  app({ key: 'asana', name: 'Asana', vendor: 'Asana', category: 'project-management', domains: ['app.asana.com', 'asana.com'], googleOAuth: { displayText: 'Asana', scopes: [...OIDC] }, merchants: ['ASANA.COM SAN FRANCISCO CA'], flatPriceMinor: 27480, billing: 'monthly' }),
  app({ key: 'monday', name: 'monday.com', vendor: 'monday.com', category: 'project-management', domains: ['monday.com', 'northwind.monday.com'], merchants: ['MONDAY.COM TEL AVIV IL'], flatPriceMinor: 19200, billing: 'monthly' }),
  app({ key: 'clickup', name: 'ClickUp', vendor: 'ClickUp', category: 'project-management', domains: ['app.clickup.com', 'clickup.com'], googleOAuth: { displayText: 'ClickUp', scopes: [...OIDC] } }),
  app({ key: 'trello', name: 'Trello', vendor: 'Atlassian', category: 'project-management', domains: ['trello.com'], googleOAuth: { displayText: 'Trello', scopes: [...OIDC] } }),
  app({ key: 'airtable', name: 'Airtable', vendor: 'Airtable', category: 'database', domains: ['airtable.com'], googleOAuth: { displayText: 'Airtable', scopes: [...OIDC] }, merchants: ['AIRTABLE.COM SAN FRANCISCO CA'], flatPriceMinor: 4800, billing: 'monthly' }),
  app({ key: 'dropbox', name: 'Dropbox', vendor: 'Dropbox', category: 'file-sharing', domains: ['dropbox.com', 'www.dropbox.com'], googleOAuth: { displayText: 'Dropbox', scopes: [...OIDC] }, merchants: ['DROPBOX*8RX2K1ZQ4T DB.TT/CCHELP CA'], flatPriceMinor: 1999, billing: 'monthly' }),
  app({ key: 'wetransfer', name: 'WeTransfer', vendor: 'WeTransfer', category: 'file-sharing', domains: ['wetransfer.com'] }),
  app({ key: 'otter-ai', name: 'Otter.ai', vendor: 'Otter.ai', category: 'meeting-notes', domains: ['otter.ai'], googleOAuth: { displayText: 'Otter.ai', scopes: [...OIDC, `${G}calendar.readonly`] }, entraOAuth: { displayName: 'Otter.ai', scopes: 'openid profile email offline_access User.Read Calendars.Read' }, merchants: ['OTTER.AI MOUNTAIN VIEW CA'], flatPriceMinor: 1699, billing: 'monthly' }),
  app({ key: 'fireflies', name: 'Fireflies.ai', vendor: 'Fireflies.ai', category: 'meeting-notes', domains: ['app.fireflies.ai', 'fireflies.ai'], entraOAuth: { displayName: 'Fireflies.ai', scopes: 'openid profile email offline_access User.Read Calendars.Read OnlineMeetings.Read' }, merchants: ['FIREFLIES.AI CORP SAN FRANCISCO CA'], flatPriceMinor: 1900, billing: 'monthly' }),
  app({ key: 'grammarly', name: 'Grammarly', vendor: 'Grammarly', category: 'writing-assistant', domains: ['app.grammarly.com', 'grammarly.com'], googleOAuth: { displayText: 'Grammarly', scopes: [...OIDC] }, merchants: ['GRAMMARLY CO* 1A7F3C2 SAN FRANCISCO CA'], flatPriceMinor: 3000, billing: 'monthly' }),
  app({ key: 'chatgpt', name: 'ChatGPT', vendor: 'OpenAI', category: 'ai-assistant', domains: ['chatgpt.com', 'chat.openai.com'], googleOAuth: { displayText: 'ChatGPT', scopes: [...OIDC] }, merchants: ['OPENAI *CHATGPT SUBSCR SAN FRANCISCO CA'], flatPriceMinor: 2000, billing: 'monthly' }),
  app({ key: 'claude', name: 'Claude', vendor: 'Anthropic', category: 'ai-assistant', domains: ['claude.ai'], googleOAuth: { displayText: 'Claude', scopes: [...OIDC] }, merchants: ['CLAUDE.AI SUBSCRIPTION ANTHROPIC.COM CA'], flatPriceMinor: 2000, billing: 'monthly' }),
  app({ key: 'perplexity', name: 'Perplexity', vendor: 'Perplexity AI', category: 'ai-assistant', domains: ['perplexity.ai', 'www.perplexity.ai'], googleOAuth: { displayText: 'Perplexity', scopes: [...OIDC] } }),
  app({ key: 'cursor', name: 'Cursor', vendor: 'Anysphere', category: 'ai-coding', domains: ['cursor.com', 'www.cursor.com'], merchants: ['CURSOR, AI POWERED IDE NEW YORK NY'], flatPriceMinor: 2000, billing: 'monthly' }),
  app({ key: 'midjourney', name: 'Midjourney', vendor: 'Midjourney', category: 'ai-image', domains: ['midjourney.com', 'www.midjourney.com'], merchants: ['MIDJOURNEY INC. SOUTH SAN FRAN CA'], flatPriceMinor: 3000, billing: 'monthly' }),
  app({ key: 'deepl', name: 'DeepL', vendor: 'DeepL SE', category: 'translation', domains: ['deepl.com', 'www.deepl.com'], merchants: ['DEEPL SE KOELN DE'], flatPriceMinor: 2999, billing: 'monthly' }),
  app({ key: 'typeform', name: 'Typeform', vendor: 'Typeform', category: 'forms-surveys', domains: ['typeform.com', 'admin.typeform.com'], googleOAuth: { displayText: 'Typeform', scopes: [...OIDC] }, merchants: ['TYPEFORM SL BARCELONA ES'], flatPriceMinor: 8300, billing: 'monthly' }),
  app({ key: 'surveymonkey', name: 'SurveyMonkey', vendor: 'Momentive', category: 'forms-surveys', domains: ['surveymonkey.com'] }),
  app({ key: 'mailchimp', name: 'Mailchimp', vendor: 'Intuit', category: 'email-marketing', domains: ['mailchimp.com', 'us21.admin.mailchimp.com'], merchants: ['INTUIT *MAILCHIMP ATLANTA GA'], flatPriceMinor: 35000, billing: 'monthly' }),
  app({ key: 'semrush', name: 'Semrush', vendor: 'Semrush', category: 'seo', domains: ['semrush.com', 'www.semrush.com'], merchants: ['SEMRUSH.COM BOSTON MA'], flatPriceMinor: 24995, billing: 'monthly' }),
  app({ key: 'jasper', name: 'Jasper', vendor: 'Jasper AI', category: 'ai-writing', domains: ['app.jasper.ai', 'jasper.ai'], merchants: ['JASPER.AI AUSTIN TX'], flatPriceMinor: 6900, billing: 'monthly' }),
  app({ key: 'vercel', name: 'Vercel', vendor: 'Vercel', category: 'hosting', domains: ['vercel.com'], merchants: ['VERCEL INC. COVINA CA'], flatPriceMinor: 8000, billing: 'monthly' }),
  app({ key: 'aws', name: 'Amazon Web Services', vendor: 'Amazon', category: 'cloud-infrastructure', domains: ['console.aws.amazon.com', 'aws.amazon.com'], merchants: ['AMAZON WEB SERVICES AWS.AMAZON.CO WA'], flatPriceMinor: 2134512, billing: 'monthly' }),

  // --- Consumer services: category `personal`, never company SaaS ---
  app({ key: 'spotify', name: 'Spotify', vendor: 'Spotify', category: 'personal', personal: true, domains: ['open.spotify.com', 'spotify.com'], merchants: ['SPOTIFY USA 877-778-1161 NY', 'SPOTIFY UK LONDON GB'], flatPriceMinor: 1199, billing: 'monthly' }),
  app({ key: 'netflix', name: 'Netflix', vendor: 'Netflix', category: 'personal', personal: true, domains: ['netflix.com', 'www.netflix.com'], merchants: ['NETFLIX.COM LOS GATOS CA'], flatPriceMinor: 1549, billing: 'monthly' }),
  app({ key: 'youtube-premium', name: 'YouTube Premium', vendor: 'Google', category: 'personal', personal: true, domains: ['youtube.com', 'www.youtube.com'], merchants: ['GOOGLE *YouTubePremium g.co/helppay#'], flatPriceMinor: 1399, billing: 'monthly' }),
  app({ key: 'amazon-prime', name: 'Amazon Prime', vendor: 'Amazon', category: 'personal', personal: true, domains: ['amazon.com'], merchants: ['Amazon Prime*2K4LM8XY3 Amzn.com/bill WA'], flatPriceMinor: 1499, billing: 'monthly' }),

  // --- Invented vendors that no catalog knows (truly unknown shadow apps) ---
  app({ key: 'unknown:tallyfox', name: 'Tallyfox', vendor: 'Tallyfox Inc.', category: 'forms-surveys', catalogued: false, domains: ['tallyfox.io', 'app.tallyfox.io'], merchants: ['TALLYFOX.IO SAN FRANCISCO CA'], flatPriceMinor: 4900, billing: 'monthly' }),
  app({ key: 'unknown:quillmate', name: 'Quillmate', vendor: 'Quillmate Ltd', category: 'ai-writing', catalogued: false, domains: ['quillmate.ai', 'app.quillmate.ai'], googleOAuth: { displayText: 'Quillmate', scopes: [...OIDC] }, merchants: ['PADDLE.NET* QUILLMATE LONDON GB'], flatPriceMinor: 2400, billing: 'monthly' }),
  app({ key: 'unknown:brightsheet', name: 'Brightsheet', vendor: 'Brightsheet Labs', category: 'spreadsheets', catalogued: false, domains: ['brightsheet.app'], googleOAuth: { displayText: 'Brightsheet for Sheets', scopes: [...OIDC, `${G}spreadsheets.readonly`] }, merchants: ['FS *BRIGHTSHEET FASTSPRING.COM CA'], flatPriceMinor: 1500, billing: 'monthly' }),
  app({ key: 'unknown:pipewise', name: 'Pipewise', vendor: 'Pipewise Co.', category: 'sales-intelligence', catalogued: false, domains: ['pipewise.co', 'app.pipewise.co'], googleOAuth: { displayText: 'Pipewise Prospector', scopes: [...OIDC] }, merchants: ['PIPEWISE.CO 415-555-0142 CA'], flatPriceMinor: 9900, billing: 'monthly' }),
  app({ key: 'unknown:inboxpilot', name: 'Inboxpilot', vendor: 'Inboxpilot Inc.', category: 'email-automation', catalogued: false, domains: ['inboxpilot.com', 'app.inboxpilot.com'], googleOAuth: { displayText: 'Inboxpilot', scopes: [...OIDC] }, merchants: ['INBOXPILOT* MONTHLY 888-555-0107 DE'], flatPriceMinor: 1900, billing: 'monthly' }),
  app({ key: 'unknown:driftnote', name: 'Driftnote', vendor: 'Driftnote Inc.', category: 'meeting-notes', catalogued: false, domains: ['driftnote.app'], entraOAuth: { displayName: 'Driftnote', scopes: 'openid profile email offline_access User.Read' }, merchants: ['DRIFTNOTE APP 646-555-0199 NY'], flatPriceMinor: 1800, billing: 'monthly' }),
  app({ key: 'unknown:synclayer', name: 'Synclayer', vendor: 'Synclayer GmbH', category: 'developer-tools', catalogued: false, domains: ['synclayer.dev', 'console.synclayer.dev'], entraOAuth: { displayName: 'Synclayer Directory Sync', scopes: 'openid profile offline_access User.Read' }, merchants: ['SYNCLAYER DEV* SUBSCRIPTION BERLIN DE'], flatPriceMinor: 4900, billing: 'monthly' }),
  app({ key: 'unknown:clipcade', name: 'Clipcade', vendor: 'Clipcade', category: 'video-messaging', catalogued: false, domains: ['clipcade.com', 'app.clipcade.com'], merchants: ['PADDLE.NET* CLIPCADE LONDON GB'], flatPriceMinor: 1200, billing: 'monthly' }),
  app({ key: 'unknown:formberry', name: 'Formberry', vendor: 'Formberry', category: 'forms-surveys', catalogued: false, domains: ['formberry.io'], googleOAuth: { displayText: 'Formberry', scopes: [...OIDC, `${G}forms.body.readonly`] } }),
  app({ key: 'unknown:cadencely', name: 'Cadencely', vendor: 'Cadencely LLC', category: 'scheduling', catalogued: false, domains: ['cadencely.com'], googleOAuth: { displayText: 'Cadencely', scopes: [...OIDC, `${G}calendar.events`] }, merchants: ['SQ *CADENCELY AUSTIN TX'], flatPriceMinor: 1000, billing: 'monthly' }),
]

/** Scopes that make a grant "risky" when the app is not sanctioned (GROUND_TRUTH.md lists the same set). */
export const HIGH_RISK_SCOPES: readonly string[] = [
  'https://mail.google.com/',
  `${G}gmail.modify`,
  `${G}gmail.readonly`,
  `${G}gmail.send`,
  `${G}drive`,
  `${G}drive.readonly`,
  `${G}admin.directory.user`,
  'Mail.Read',
  'Mail.ReadWrite',
  'Mail.Send',
  'Files.Read.All',
  'Files.ReadWrite.All',
  'Sites.ReadWrite.All',
  'Directory.ReadWrite.All',
  'Directory.AccessAsUser.All',
  'User.ReadWrite.All',
]

/** Card lines that are not software at all (meals, travel, retail): never an app. */
export const NON_SAAS_MERCHANTS: readonly { readonly descriptor: string; readonly minMinor: number; readonly maxMinor: number; readonly currency: 'USD' | 'EUR' | 'GBP'; readonly category: string }[] = [
  { descriptor: 'SQ *BLUE BOTTLE COFFEE San Francisco CA', minMinor: 450, maxMinor: 2800, currency: 'USD', category: 'Restaurants' },
  { descriptor: 'TST* SHAKE SHACK - MIDTOWN New York NY', minMinor: 1200, maxMinor: 9500, currency: 'USD', category: 'Restaurants' },
  { descriptor: 'SWEETGREEN SOMA SAN FRANCISCO CA', minMinor: 1300, maxMinor: 6400, currency: 'USD', category: 'Restaurants' },
  { descriptor: 'CHIPOTLE 2871 AUSTIN TX', minMinor: 1100, maxMinor: 4800, currency: 'USD', category: 'Restaurants' },
  { descriptor: 'PRET A MANGER LONDON GB', minMinor: 600, maxMinor: 3200, currency: 'GBP', category: 'Restaurants' },
  { descriptor: 'UBER *TRIP HELP.UBER.COM CA', minMinor: 900, maxMinor: 8600, currency: 'USD', category: 'Travel' },
  { descriptor: 'LYFT *RIDE WED 8AM 855-865-9553 CA', minMinor: 1100, maxMinor: 6200, currency: 'USD', category: 'Travel' },
  { descriptor: 'AMZN Mktp US*2B45X7Y12 Amzn.com/bill WA', minMinor: 1299, maxMinor: 24999, currency: 'USD', category: 'Office Supplies' },
  { descriptor: 'DELTA AIR LINES 0062345678901 ATLANTA GA', minMinor: 24000, maxMinor: 98000, currency: 'USD', category: 'Airfare' },
  { descriptor: 'MARRIOTT SAN FRANCISCO UNION SQ CA', minMinor: 28000, maxMinor: 112000, currency: 'USD', category: 'Lodging' },
  { descriptor: 'DB BAHN BERLIN DE', minMinor: 3900, maxMinor: 14900, currency: 'EUR', category: 'Travel' },
  { descriptor: 'STAPLES 00123 NEW YORK NY', minMinor: 899, maxMinor: 15999, currency: 'USD', category: 'Office Supplies' },
]

/** Browsing that is not SaaS at all; telemetry visits to these are hard negatives. */
export const NON_SAAS_DOMAINS: readonly string[] = ['stackoverflow.com', 'en.wikipedia.org', 'www.nytimes.com', 'news.ycombinator.com', 'www.google.com', 'developer.mozilla.org']

const BY_KEY = new Map(APPS.map((a) => [a.key, a]))

export function appByKey(key: string): AppProfile {
  const found = BY_KEY.get(key)
  if (!found) throw new Error(`demo: app lookup: no profile for "${key}"`)
  return found
}

/** The GROUND_TRUTH.md rule: sanctioned iff an ACTIVE Okta app, or an Entra enterprise app with assignments. */
export function isSanctionedBySso(a: AppProfile): boolean {
  if (!a.sso) return false
  if (a.sso.idp === 'okta') return a.sso.status === 'ACTIVE'
  return a.sso.idp === 'entra'
}
