export { importOsquerySoftware, parseSoftwareDocuments, readSoftwareFile, type ParsedSoftware } from './import-software.js'
export { mapSoftwareRow, OSQUERY_TABLES, tableOfColumns, tableOfQueryName, type OsqueryTable } from './map-software.js'
