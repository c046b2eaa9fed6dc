import { useDataProvider, usePermissions } from 'react-admin'
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
