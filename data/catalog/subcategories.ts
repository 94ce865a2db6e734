/**
 * The controlled list of app functions: the job an app is bought to do. Two paid apps with the same function
 * are substitutes, which is what the "overlapping tools" finding looks for. Finer than `category`
 * (`ai-assistants` holds chat assistants, note-takers and image generators, which do not overlap).
 * Adding a function is a deliberate change: the catalog tests require every function to be used.
 */
export const FUNCTIONS = {
  // Workplace basics
  'productivity-suite': 'bundled mail, calendar, documents, spreadsheets and storage for a whole company',
  'business-email': 'hosted business mailboxes and secure email, without a full office suite',
  'team-chat': 'channel-based chat for teams inside the company',
  'messaging': 'one-to-one and group messengers used from a phone',
  'video-meetings': 'scheduled and ad-hoc live video calls',
  'video-messaging': 'recording and sharing short asynchronous screen or camera videos',
  'webinars': 'webinars, virtual events and live audience polls or Q&A',
  'business-phone': 'cloud phone numbers, calling and contact-center telephony',
  'scheduling': 'booking links that let others pick a free slot on your calendar',
  'email-automation': 'email productivity on top of a mailbox: triage, drafting, tracking, templates, send-later',
  'task-management': 'personal to-do lists, daily planning and calendar time-blocking',
  'time-tracking': 'tracking hours spent per project or client',
  'desktop-productivity': 'keyboard launchers, shortcuts and text snippets on the desktop',
  'knowledge-base': 'team wikis, shared docs, notes, how-to guides and intranets',
  'whiteboard': 'infinite-canvas collaborative whiteboards for workshops and brainstorming',
  'diagramming': 'flowcharts, org charts, architecture and process diagrams',
  'file-sharing': 'cloud file storage, sync, backup and sending large files',
  'pdf-editor': 'viewing, editing, converting and filling PDF documents',
  'e-signature': 'sending documents, proposals and quotes for legally binding electronic signature',
  'forms-surveys': 'building forms, questionnaires and surveys and collecting responses',
  'experience-management': 'customer and employee experience programs: NPS, CSAT, feedback analytics',
  'workflow-automation': 'no-code automations that connect apps with triggers and actions',
  'translation': 'machine translation of text and documents',

  // Generative AI
  'ai-assistant': 'general-purpose chat assistants and AI answer engines',
  'ai-writing': 'AI generation of marketing and business copy',
  'writing-assistant': 'grammar, spelling, tone and paraphrasing help while writing',
  'meeting-notes': 'bots or apps that record, transcribe and summarize meetings',
  'ai-image': 'generating images from text prompts',
  'ai-video': 'generating video from prompts, including AI avatar presenters',
  'ai-audio': 'AI voice, speech and music generation; text-to-speech',
  'ai-coding': 'AI that writes or explains code: editor assistants, coding agents, prompt-to-app builders',
  'ai-api': 'API access to and hosting of AI models, for building products on them',
  'presentations': 'building slide decks and presentations',

  // Projects and product
  'project-management': 'planning and tracking team projects and tasks (boards, timelines, Gantt)',
  'issue-tracking': 'software issue and sprint tracking for engineering teams',
  'product-management': 'product feedback portals, idea boards and product roadmaps',
  'database': 'no-code relational databases that business teams build apps on',

  // Design and content
  'design': 'graphic, UI and visual design, prototyping and infographics',
  'user-research': 'usability testing and research repositories',
  'video-editing': 'recording, editing and reviewing video and podcasts',
  'video-hosting': 'hosting and embedding video with a player and viewer analytics',
  'stock-media': 'licensed stock photos, video, icons and design assets',
  'digital-asset-management': 'brand asset libraries and guidelines portals',
  'website-builder': 'building and publishing websites and landing pages, including headless CMSs',

  // Sales
  'crm': 'customer relationship management: accounts, contacts, deals and pipeline',
  'sales-intelligence': 'B2B contact and company data, buyer intent and account targeting',
  'sales-engagement': 'multi-step prospecting sequences across email, phone and social',
  'revenue-intelligence': 'call recording and analysis, deal inspection and forecasting for sales teams',
  'sales-enablement': 'sales content management, tracked document sharing and rep coaching',
  'partner-management': 'partner and affiliate programs and account mapping with partners',

  // Marketing
  'marketing-automation': 'multi-channel campaigns, lead nurturing and lifecycle messaging',
  'email-marketing': 'newsletters and email campaigns to subscriber lists',
  'social-media-management': 'scheduling, publishing and analysing posts across social networks',
  'seo': 'keyword research, rank tracking, site audits, traffic intelligence and content optimization',
  'advertising': 'buying and managing paid ads on an ad network',
  'public-relations': 'media databases, press outreach and media or social monitoring',
  'review-management': 'collecting and showcasing customer or product reviews',
  'link-management': 'short links, QR codes and link-in-bio pages',
  'experimentation': 'feature flags, A/B tests and product experiments',

  // Customer support
  'customer-support': 'help desks, shared inboxes and website live chat for customer conversations',

  // Analytics and data
  'web-analytics': 'website traffic and visitor analytics',
  'product-analytics': 'in-product usage analytics, heatmaps and session replay',
  'business-intelligence': 'dashboards and reports over company data, including KPI and SaaS-metrics dashboards',
  'data-warehouse': 'cloud data warehouses and lakehouses',
  'data-pipelines': 'loading, transforming, streaming and orchestrating data into a warehouse',
  'customer-data-platform': 'collecting customer events and syncing audiences to business tools',
  'data-governance': 'data catalogs, lineage and data-quality monitoring',
  'data-labeling': 'annotating data to train machine-learning models',
  'managed-database': 'hosted databases and backend-as-a-service',

  // Engineering
  'source-control': 'git hosting, code review and pull requests',
  'artifact-repository': 'package, container and build artifact registries',
  'ci-cd': 'build, test and deploy pipelines, including infrastructure-as-code runs',
  'ide': 'code editors and development environments, on the desktop or in the browser',
  'api-tools': 'designing, testing, documenting and exposing APIs',
  'developer-docs': 'publishing product and API documentation for developers',
  'code-scanning': 'static analysis of code and dependencies for quality issues and vulnerabilities',
  'testing': 'cloud browsers and devices for tests, and test case management',
  'internal-tools': 'low-code builders for internal admin apps',
  'search-api': 'hosted search and discovery embedded in a product',
  'communications-api': 'programmable email, SMS and voice APIs',

  // Infrastructure and operations
  'cloud-infrastructure': 'infrastructure-as-a-service: compute, storage and networking',
  'hosting': 'platforms that build and host web apps and sites from a git repository',
  'cdn': 'content delivery networks and edge delivery of sites and media',
  'observability': 'metrics, logs, traces and uptime monitoring',
  'error-tracking': 'capturing and grouping application errors and crashes',
  'incident-management': 'on-call paging, incident response and status pages',

  // IT
  'identity-provider': 'single sign-on, directory and multi-factor authentication',
  'identity-governance': 'access requests, access reviews, provisioning and privileged access',
  'device-management': 'managing and patching company laptops and phones (MDM, UEM, RMM)',
  'remote-access': 'remote control of another computer for support or access',
  'it-service-management': 'IT help desk, service catalog and IT asset inventory',
  'saas-management': 'discovering SaaS, tracking licenses and managing renewals',

  // Security
  'web-security': 'protecting websites and logins: WAF, bot and fraud detection, CAPTCHAs',
  'password-manager': 'storing and sharing passwords and secrets in vaults',
  'endpoint-security': 'antivirus, EDR and managed detection and response on devices',
  'email-security': 'filtering phishing, malware and account takeover in email',
  'network-access': 'VPNs, zero-trust network access and secure web gateways',
  'vulnerability-management': 'finding vulnerabilities in apps, infrastructure and cloud, including bug bounties',
  'compliance-automation': 'security compliance programs (SOC 2, ISO 27001) and security-awareness training',
  'data-loss-prevention': 'finding and protecting sensitive data across apps and file shares',

  // Finance
  'accounting': 'general ledger, invoicing and bookkeeping for a company',
  'erp': 'enterprise resource planning: financials, inventory and operations in one system',
  'financial-close': 'month-end close, reconciliation and account certification',
  'financial-planning': 'budgeting, forecasting and financial planning and analysis',
  'expense-management': 'expense reports, corporate cards, reimbursements and bill pay',
  'procurement': 'purchase requests, approvals and purchase orders',
  'billing-payments': 'accepting customer payments and running subscription billing',
  'business-banking': 'business bank accounts and money transfers',
  'sales-tax': 'calculating and filing sales tax and VAT',
  'equity-management': 'cap tables, stock options and equity plans',

  // People
  'hris': 'the employee system of record: profiles, org chart, time off, onboarding',
  'payroll': 'paying employees and contractors, including PEOs and employers of record',
  'performance-management': 'reviews, goals, one-on-ones, engagement surveys and recognition',
  'employee-benefits': 'stipends and lifestyle or wellness benefit accounts',
  'recruiting': 'applicant tracking: job postings, pipelines and interview scheduling',
  'candidate-sourcing': 'job boards and finding candidates to contact',
  'candidate-assessment': 'skills tests, coding interviews and video interviews of candidates',
  'background-checks': 'background and reference checks before hiring',
  'online-courses': 'libraries of self-paced courses',
  'learning-management': 'assigning and authoring internal training (LMS)',

  // Legal
  'contract-management': 'drafting, negotiating, storing and tracking contracts',
  'privacy-compliance': 'privacy programs, cookie consent and privacy policies',
  'legal-services': 'online legal documents and access to lawyers for small businesses',
  'legal-practice-management': 'matters, billing and client intake for law firms',

  // Other
  'ecommerce-platform': 'online store platforms, storefront add-ons and checkout for selling online',
  'travel-booking': 'booking and managing trips and lodging',
  'professional-network': 'professional social network profiles and messaging',
  'consumer-subscription': 'personal media, gaming, fitness and other consumer subscriptions, never company SaaS',
} as const satisfies Record<string, string>

/** What job an app does; apps sharing a function are substitutes. */
export type AppFunction = keyof typeof FUNCTIONS

/** The function names in declaration order, as a non-empty tuple for `z.enum`. */
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as [AppFunction, ...AppFunction[]]

export function isAppFunction(value: string): value is AppFunction {
  return Object.hasOwn(FUNCTIONS, value)
}
