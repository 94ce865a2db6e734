/** The fields a roster row can carry. */
export type RosterField =
  | 'email' | 'name' | 'firstName' | 'lastName' | 'employeeNumber' | 'department' | 'title' | 'managerEmail'
  | 'location' | 'employmentType' | 'status' | 'startDate' | 'endDate'

export const ROSTER_FIELDS: readonly RosterField[] = [
  'email', 'name', 'firstName', 'lastName', 'employeeNumber', 'department', 'title', 'managerEmail',
  'location', 'employmentType', 'status', 'startDate', 'endDate',
]

export interface RosterLayout {
  id: string
  description: string
  /** Headers (compared case- and space-insensitively) that only this vendor's export has. */
  signature: readonly string[]
}

/** HR tools' export headers; which vendor wrote a file is told by its signature headers. */
export const ROSTER_LAYOUTS: readonly RosterLayout[] = [
  { id: 'bamboohr', description: 'BambooHR custom report', signature: ['Employee #', 'Supervisor Email'] },
  { id: 'rippling', description: 'Rippling people report', signature: ['Work email', 'Manager email', 'Employment type'] },
  { id: 'gusto', description: 'Gusto employee export', signature: ['Work Email', 'Manager', 'Employment Status', 'Hire Date'] },
  { id: 'workday', description: 'Workday custom report', signature: ['Employee ID', 'Primary Work Email', 'Worker Type'] },
]

/** Header aliases per field, as HR tools spell them. The first match in this order wins. */
export const FIELD_ALIASES: Readonly<Record<RosterField, readonly string[]>> = {
  email: ['work email', 'primary work email', 'email', 'email address', 'work email address', 'business email', 'company email', 'user email', 'mail'],
  name: ['name', 'full name', 'employee name', 'display name', 'legal name', 'worker', 'employee'],
  firstName: ['first name', 'given name', 'preferred first name', 'legal first name', 'firstname'],
  lastName: ['last name', 'family name', 'surname', 'legal last name', 'lastname'],
  employeeNumber: ['employee #', 'employee id', 'employee number', 'worker id', 'employee no', 'id'],
  department: ['department', 'dept', 'team', 'cost center', 'supervisory organization'],
  title: ['job title', 'title', 'position', 'business title', 'role'],
  managerEmail: ['supervisor email', 'manager email', 'manager work email', 'reports to email', 'manager', 'supervisor', 'reports to'],
  location: ['location', 'office', 'work location', 'office location', 'site'],
  employmentType: ['employment type', 'employment status', 'worker type', 'employee type', 'type', 'worker sub-type'],
  status: ['status', 'employee status', 'employment state', 'active status', 'worker status'],
  startDate: ['hire date', 'start date', 'original hire date', 'date of hire', 'employment start date'],
  endDate: ['termination date', 'end date', 'last day of work', 'separation date', 'contract end date', 'term date'],
}

export function normalizeHeader(header: string): string {
  return header.trim().toLowerCase().replace(/[_\s]+/g, ' ')
}
