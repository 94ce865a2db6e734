/** The controls an evidence package speaks to, each in a line of our own words (the standards' texts are not ours to copy). */
export const CONTROLS = {
  'SOC 2 CC6.1': 'Logical access to information assets is restricted: the company knows its systems and who can reach them.',
  'SOC 2 CC6.2': 'Access is authorised before it is granted and removed when it is no longer needed (leavers, revocations).',
  'SOC 2 CC6.3': 'Access is granted, changed and removed according to role, and reviewed periodically.',
  'ISO 27001:2022 A.5.15': 'Access control: rules for access to information and systems are set and enforced.',
  'ISO 27001:2022 A.5.18': 'Access rights are provisioned, reviewed at planned intervals, and removed.',
  'ISO 27001:2022 A.8.2': 'Privileged access rights (admin roles, broad OAuth scopes) are restricted and managed.',
} as const

export type ControlId = keyof typeof CONTROLS
