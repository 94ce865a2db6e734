// Word lists the normalisers strip. Upper-case; they only ever apply to TRAILING tokens.

const US_STATES =
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY'
const CA_PROVINCES = 'ON QC BC AB MB SK NS NB NL PE'
const COUNTRIES =
  'US USA GB GBR UK IE IRL NL NLD DE DEU FR FRA AU AUS CAN CH CHE SG SGP SE SWE ES ESP IT ITA IL ISR JP JPN LU LUX EE EST CY BE BEL DK DNK NO NOR FI FIN PL POL PT PRT AT AUT NZ HK KR BR BRA MX MEX IND CZ CZE'
const CITIES = [
  'SAN FRANCISCO', 'SF', 'NEW YORK', 'NEW YORK CITY', 'NYC', 'SAN JOSE', 'SAN MATEO', 'PALO ALTO', 'MOUNTAIN VIEW',
  'SUNNYVALE', 'MENLO PARK', 'REDWOOD CITY', 'OAKLAND', 'SEATTLE', 'BELLEVUE', 'REDMOND', 'BOSTON', 'CAMBRIDGE',
  'AUSTIN', 'DENVER', 'BOULDER', 'CHICAGO', 'ATLANTA', 'MIAMI', 'LOS ANGELES', 'SANTA MONICA', 'SAN DIEGO',
  'SALT LAKE CITY', 'SALT LAKE CTY', 'LEHI', 'DRAPER', 'PROVO', 'PORTLAND', 'DUBLIN', 'DUBLIN 2', 'LONDON', 'SYDNEY',
  'MELBOURNE', 'AMSTERDAM', 'BERLIN', 'MUNICH', 'PARIS', 'TORONTO', 'VANCOUVER', 'MONTREAL', 'TEL AVIV', 'SINGAPORE',
  'LUXEMBOURG', 'STOCKHOLM', 'COPENHAGEN', 'HELSINKI', 'OSLO', 'ZURICH', 'GENEVA', 'BARCELONA', 'MADRID', 'TALLINN',
  'PRAGUE', 'WARSAW', 'BANGALORE', 'BENGALURU', 'CORK', 'EDINBURGH', 'MANCHESTER', 'IRVINE', 'RALEIGH', 'DURHAM',
  'PHOENIX', 'SCOTTSDALE', 'DALLAS', 'HOUSTON', 'WILMINGTON', 'DOVER', 'WASHINGTON', 'PHILADELPHIA', 'PITTSBURGH',
  'MINNEAPOLIS', 'NASHVILLE', 'SAN FRANCISCO CA', 'SANTA CLARA', 'SAN RAFAEL', 'CHENNAI', 'VILNIUS', 'GHENT',
  'WATERLOO', 'OTTAWA', 'BRISBANE', 'AUCKLAND', 'PUNE', 'HYDERABAD', 'INTERNET', 'ONLINE',
]

export const GEO_TOKENS: ReadonlySet<string> = new Set([
  ...US_STATES.split(' '),
  ...CA_PROVINCES.split(' '),
  ...COUNTRIES.split(' '),
  ...CITIES.filter((c) => !c.includes(' ')),
])
export const GEO_PHRASES: ReadonlySet<string> = new Set(CITIES.filter((c) => c.includes(' ')))

export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set(
  'INC INCORPORATED LLC LTD LIMITED GMBH CORP CORPORATION CO COMPANY SA SAS SARL SRL BV NV AG PTY PLC AB AS OY OU SE KK SRO SPA LP LLP PBC PTE ULC LDA APS OYJ'.split(' '),
)

/** Billing words that follow a merchant name on statements and say nothing about who it is. */
export const NOISE_TOKENS: ReadonlySet<string> = new Set(
  'WWW COM HTTP HTTPS BILL BILLING SUBSCR SUBSCRIPTION SUBS RECURRING PAYMENT PMT MONTHLY ANNUAL YEARLY PURCHASE ORDER INV INVOICE CHARGE USD EUR GBP CAD AUD FEE RENEWAL'.split(' '),
)

/** Plan names people type after a product in expense reports ("Claude Pro", "Slack Business+"): not the vendor. */
export const PLAN_WORDS: ReadonlySet<string> = new Set(
  'PRO PLUS PREMIUM TEAM TEAMS BUSINESS ENTERPRISE STARTER STANDARD BASIC PERSONAL SEATS SEAT LICENSE LICENSES'.split(' '),
)

/** Payment processors' own domains, printed after the real merchant (`FS *BRIGHTSHEET FASTSPRING.COM`). */
export const PROCESSOR_DOMAINS: ReadonlySet<string> = new Set(
  'FASTSPRING.COM PADDLE.COM PADDLE.NET PAYPAL.COM STRIPE.COM 2CHECKOUT.COM 2CO.COM SQUAREUP.COM SQ.COM CHECKOUT.COM'.split(' '),
)

/** Generic company words dropped when grouping unknown vendors (`ACME WIDGETS LABS` ~ `acmewidgets.com`). */
export const GENERIC_WORDS: ReadonlySet<string> = new Set(
  'LABS LAB TECHNOLOGIES TECHNOLOGY TECH SOFTWARE SYSTEMS SOLUTIONS HQ APP APPS IO AI CLOUD GROUP HOLDINGS INTERNATIONAL GLOBAL DIGITAL PLATFORM SERVICES'.split(' '),
)

/** Two-label public suffixes common enough to matter for registrable-domain grouping. */
export const TWO_LABEL_SUFFIXES: ReadonlySet<string> = new Set(
  'co.uk org.uk ac.uk gov.uk me.uk com.au net.au org.au co.nz co.jp ne.jp com.br com.mx co.in com.sg co.za co.il co.kr com.tr com.cn com.hk com.tw'.split(' '),
)
