export * from './contract.js'
export * from './errors.js'
export * from './records.js'
export { withRetry, retryDelay, isRetryable, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryOptions } from './retry.js'
export { mapSettledWithConcurrency } from './concurrency.js'
export { runCollector, markInterruptedRuns, type ProgressEvent, type RunOptions, type RunResult } from './runner.js'
export { markGoneAfterCompleteRun } from './mark-gone.js'
export { InventoryWriter, rollUpSignins } from './inventory-writer.js'
export { AppResolution, type SignalResolver, type SignalResolution, type ResolvedApp } from './app-resolution.js'
export { decodeText, lineIndex, type TextEncoding } from './decode-text.js'
export { sha256File, sha256Path } from './file-hash.js'
export { importFileWithCollector, type FileImportSummary, type FileImporter, type FileImportOptions } from './import-file.js'
export { isJsonLinesFile, openJsonLines, type JsonLine, type JsonLinesReader } from './json-lines.js'
export { scanWithCollector, type LiveScanOptions } from './scan-live.js'
export {
  RemediatorRegistry, failedRemediation, unsupportedTarget,
  type Remediator, type RemediationAction, type RemediationContext, type RemediationOutcome, type RemediationResult, type RemediationTarget,
} from './remediator.js'
