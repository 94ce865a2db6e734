// Name lists and office facts for Northwind Labs. Plain data; the generator draws from them with a seeded Rng.

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen',
  'Christopher', 'Lisa', 'Daniel', 'Nancy', 'Matthew', 'Betty', 'Anthony', 'Margaret', 'Mark', 'Sandra',
  'Donald', 'Ashley', 'Steven', 'Kimberly', 'Paul', 'Emily', 'Andrew', 'Donna', 'Joshua', 'Michelle',
  'Kenneth', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie',
  'Ronald', 'Rebecca', 'Jason', 'Laura', 'Edward', 'Sharon', 'Jeffrey', 'Cynthia', 'Ryan', 'Kathleen',
  'Jacob', 'Amy', 'Gary', 'Angela', 'Nicholas', 'Shirley', 'Eric', 'Anna', 'Jonathan', 'Brenda',
  'Stephen', 'Pamela', 'Larry', 'Emma', 'Justin', 'Nicole', 'Scott', 'Helen', 'Brandon', 'Samantha',
  'Benjamin', 'Katherine', 'Samuel', 'Christine', 'Gregory', 'Debra', 'Alexander', 'Rachel', 'Patrick', 'Carolyn',
  'Frank', 'Janet', 'Raymond', 'Maria', 'Jack', 'Olivia', 'Dennis', 'Heather', 'Jerry', 'Diane',
  'Priya', 'Arjun', 'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Carlos', 'Sofia', 'Mateo', 'Lucia',
  'Ahmed', 'Fatima', 'Omar', 'Aisha', 'Liam', 'Noah', 'Chloe', 'Zoe', 'Ines', 'Lars',
  'Ingrid', 'Sven', 'Anika', 'Ravi', 'Deepa', 'Tomasz', 'Katarzyna', 'Dmitri', 'Elena', 'Kwame',
] as const

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez',
  'Chen', 'Wang', 'Singh', 'Kumar', 'Tanaka', 'Sato', 'Nakamura', 'Schmidt', 'Muller', 'Novak',
  'Kowalski', 'Ivanov', 'Larsen', 'Johansson', 'Okafor', 'Mensah', 'Haddad', 'Rossi', 'Dubois', "O'Brien",
] as const

export interface Office {
  readonly name: string
  readonly city: string
  readonly state: string
  readonly country: string
  readonly countryCode: string
  /** Hours to add to UTC for local office time (standard time; DST ignored on purpose). */
  readonly utcOffset: number
  /** Office egress network (documentation ranges, RFC 5737). */
  readonly egressPrefix: string
  readonly weight: number
}

export const OFFICES: readonly Office[] = [
  { name: 'San Francisco HQ', city: 'San Francisco', state: 'California', country: 'United States', countryCode: 'US', utcOffset: -8, egressPrefix: '198.51.100.', weight: 30 },
  { name: 'New York', city: 'New York', state: 'New York', country: 'United States', countryCode: 'US', utcOffset: -5, egressPrefix: '203.0.113.', weight: 25 },
  { name: 'Austin', city: 'Austin', state: 'Texas', country: 'United States', countryCode: 'US', utcOffset: -6, egressPrefix: '192.0.2.', weight: 15 },
  { name: 'London', city: 'London', state: 'England', country: 'United Kingdom', countryCode: 'GB', utcOffset: 0, egressPrefix: '198.18.7.', weight: 15 },
  { name: 'Remote - US', city: 'Denver', state: 'Colorado', country: 'United States', countryCode: 'US', utcOffset: -7, egressPrefix: '', weight: 15 },
]

/** Residential first octets seen for remote work (large US/UK ISPs). */
export const HOME_NETWORKS = ['73.', '24.', '98.', '67.', '71.', '86.', '82.'] as const

export interface UserAgent {
  readonly raw: string
  readonly os: string
  readonly browser: string
  readonly device: 'Computer' | 'Mobile'
}

export const USER_AGENTS: readonly UserAgent[] = [
  { raw: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', os: 'Mac OS X', browser: 'CHROME', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', os: 'Windows 10', browser: 'CHROME', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', os: 'Mac OS X', browser: 'SAFARI', device: 'Computer' },
  { raw: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', os: 'Windows 10', browser: 'EDGE_CHROMIUM', device: 'Computer' },
  { raw: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', os: 'iOS', browser: 'SAFARI', device: 'Mobile' },
]
