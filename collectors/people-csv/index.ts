export { createRosterCollector, type RosterConfig } from './collector.js'
export { importRoster, type ImportSummary } from './import-roster.js'
export { parseRosterFile, parseRosterText, RosterFileError, type ParsedRoster, type RosterOptions, type DateOrder } from './parse-roster.js'
export { ROSTER_FIELDS, ROSTER_LAYOUTS, type RosterField } from './layouts.js'
