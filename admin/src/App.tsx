import { Admin, CustomRoutes, Resource } from 'react-admin'
import { Route } from 'react-router-dom'
import { audit } from './audit/AuditList.tsx'
import { createAuthProvider } from './authProvider.ts'
import { Dashboard } from './dashboard/Dashboard.tsx'
import { events } from './events/EventList.tsx'
import { createDataProvider } from './dataProvider.ts'
import { LoginPage } from './login/LoginPage.tsx'
import { proposals } from './proposals/ProposalList.tsx'
import { createConsoleClient } from './purse.ts'
import { transfers } from './transfers/index.ts'
import { users } from './users/index.ts'
import { purseTheme } from './theme.ts'
import { WebhookAttemptsPage } from './partners/WebhookAttemptsPage.tsx'
import { StatementPage } from './wallets/StatementPage.tsx'

const purse = createConsoleClient()
const dataProvider = createDataProvider(purse)
const authProvider = createAuthProvider(purse)

export function App() {
  return (
    <Admin
      title="Purse console"
      dataProvider={dataProvider}
      authProvider={authProvider}
      dashboard={Dashboard}
      loginPage={LoginPage}
      theme={purseTheme}
      requireAuth
      disableTelemetry
    >
      <Resource name="users" {...users} recordRepresentation="full_name" />
      <Resource name="transfers" {...transfers} />
      <Resource name="proposals" {...proposals} />
      <Resource name="audit-log" {...audit} />
      <Resource name="events" {...events} />
      <CustomRoutes>
        <Route path="/wallets/:id/statement" element={<StatementPage />} />
        <Route path="/webhook-endpoints/:id/attempts" element={<WebhookAttemptsPage />} />
      </CustomRoutes>
    </Admin>
  )
}
