// Types of build-inputs.mjs (plain JavaScript, so the bin needs no transform), for TypeScript callers.
export declare const SOURCE_ROOTS: readonly string[]
export declare const STAMP_FILE: string
export declare function listBuildInputs(root: string): { compile: string[]; copy: string[] }
export declare function stalenessInputs(root: string): string[]
export declare function staleReason(root: string): string | null
