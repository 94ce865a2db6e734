export { analyze, FINDING_MODULES, type AnalysisResult } from './analyze.js'
export { analyzerConfig, DEFAULT_ANALYZER_CONFIG, type AnalyzerConfig } from './config.js'
export { reconcileFindings } from '../data/findings.js'
export type { FindingCandidate, FindingKind, FindingModule } from './findings/types.js'
