export { telemetryEventSchema, type TelemetryEvent } from './telemetry-schema.js'
export { createTelemetryFileCollector, importTelemetryFile } from './import-telemetry.js'
