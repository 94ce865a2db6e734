export {
  ENTRA_CONFIG_FIELDS, ENTRA_SCAN_PERMISSIONS, ENTRA_REMEDIATION_PERMISSIONS, ENTRA_SOURCE, entraConfigFrom,
  type EntraConfig, type EntraPermission,
} from './config.js'
export { createEntraCollector, ENTRA_MANIFEST, type EntraCollector, type EntraCollectorOptions, type EntraKind } from './collector.js'
export type { EntraConnection } from './graph-client.js'
export { scanEntra, entraSigninsSince, type ScanEntraOptions } from './scan.js'
export { importEntraSignins, importEntraGrants, importEntraGrantsForTenant, importEntraUsers, type EntraDirectoryImportOptions } from './import-files.js'
export { parseSigninFile, parseSigninText, SigninFileError, type ParsedSigninFile, type SigninFileLayout } from './parse-signins.js'
export { readEntraDirectory, DIRECTORY_FILES, DirectoryFileError } from './read-directory.js'
export {
  revokeEntraGrant, removeEntraAppRoleAssignment, revokeEntraConsent, removeEntraAppAccess,
  createEntraRemediator, type EntraDeleteOutcome, type EntraRemediationOptions,
} from './remediation.js'
export { tenantIdentity, looksLikeGraphSignIn, looksLikeGraphGrant } from './map-records.js'
