// The category list alone (no zod): option help and the web app's filters read it without loading the schema.

/** The controlled list of categories; a new one is a deliberate schema change. */
export const CATEGORIES = [
  'collaboration',
  'video-meetings',
  'file-storage',
  'design',
  'engineering',
  'devops',
  'crm',
  'sales',
  'marketing',
  'customer-support',
  'hr',
  'recruiting',
  'finance',
  'accounting',
  'legal',
  'security',
  'identity',
  'it-management',
  'analytics',
  'project-management',
  'productivity',
  'communication',
  'ai-assistants',
  'e-signature',
  'survey-forms',
  'data',
  'learning',
  'travel',
  'scheduling',
  'personal',
  'other',
] as const

export type Category = (typeof CATEGORIES)[number]
