// Microsoft Graph v1.0 resource shapes, only the properties Sightline reads (names as on the wire).

export interface GraphPage<T> {
  value: T[]
  '@odata.nextLink'?: string
}

export interface GraphUser {
  id: string
  displayName?: string | null
  givenName?: string | null
  surname?: string | null
  mail?: string | null
  userPrincipalName?: string | null
  accountEnabled?: boolean | null
  department?: string | null
  jobTitle?: string | null
  employeeType?: string | null
  employeeId?: string | null
  employeeHireDate?: string | null
  officeLocation?: string | null
  userType?: string | null
  manager?: { id?: string; mail?: string | null; userPrincipalName?: string | null } | null
}

export interface GraphServicePrincipal {
  id: string
  appId: string
  displayName?: string | null
  accountEnabled?: boolean | null
  appOwnerOrganizationId?: string | null
  appRoleAssignmentRequired?: boolean | null
  servicePrincipalType?: string | null
  servicePrincipalNames?: string[] | null
  preferredSingleSignOnMode?: string | null
  homepage?: string | null
  loginUrl?: string | null
  tags?: string[] | null
  appRoles?: { id: string; displayName?: string | null; value?: string | null }[] | null
}

export interface GraphOAuth2PermissionGrant {
  id: string
  /** Object id of the client's service principal. */
  clientId: string
  consentType: 'AllPrincipals' | 'Principal' | string
  principalId?: string | null
  /** Object id of the resource (API) service principal. */
  resourceId: string
  /** Space-separated delegated permission names. */
  scope?: string | null
}

export interface GraphAppRoleAssignment {
  id: string
  appRoleId: string
  createdDateTime?: string | null
  principalDisplayName?: string | null
  principalId: string
  principalType?: 'User' | 'Group' | 'ServicePrincipal' | string | null
  resourceDisplayName?: string | null
  resourceId: string
}

export interface GraphSignIn {
  id: string
  createdDateTime: string
  userDisplayName?: string | null
  userPrincipalName?: string | null
  userId?: string | null
  appId?: string | null
  appDisplayName?: string | null
  ipAddress?: string | null
  clientAppUsed?: string | null
  userAgent?: string | null
  isInteractive?: boolean | null
  status?: { errorCode?: number | null; failureReason?: string | null } | null
  location?: { city?: string | null; state?: string | null; countryOrRegion?: string | null } | null
}
