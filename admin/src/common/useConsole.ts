import { useDataProvider, useGetIdentity, usePermissions } from 'react-admin'
import type { ConsoleDataProvider } from '../dataProvider.ts'
import type { StaffRole } from '../authProvider.ts'

/** The data provider with the console's own actions (freeze, reverse, adjust…). */
export function useConsoleApi() {
  return useDataProvider<ConsoleDataProvider>()
}

/** Whether the signed-in person is an admin (support cannot move money). */
export function useIsAdmin() {
  const { permissions } = usePermissions<StaffRole>()
  return permissions === 'admin'
}

/**
 * Whether the signed-in person is one of these people. Staff never freeze,
 * adjust or reverse for themselves (the API refuses it), so the console does
 * not offer it.
 */
export function useIsSelf(...userIds: (string | null | undefined)[]) {
  const { identity } = useGetIdentity()
  return identity !== undefined && userIds.includes(String(identity.id))
}
