import { parseAmount, type LimitState, type PurseClient } from '@purse/sdk'
import { dayRange } from './common/days.ts'
import type { DataProvider, GetListParams, GetListResult, RaRecord } from 'react-admin'

type Page<T> = { data: T[]; next_cursor: string | null }
type Filter = Record<string, unknown>

/**
 * react-admin resources over @purse/sdk. The API pages with opaque cursors,
 * newest first; react-admin asks for page numbers. Each list remembers the
 * cursor that starts each page it has seen, per filter, so "next" and
 * "previous" are one request each; a jump ahead walks the pages between.
 */
export function createDataProvider(purse: PurseClient) {
  const cursors = new Map<string, (string | undefined)[]>()

  async function cursorPage<T extends { id: string }>(
    resource: string,
    params: GetListParams,
    fetchPage: (query: { limit: number; cursor?: string } & Filter) => Promise<Page<T>>
  ): Promise<GetListResult<T>> {
    const { page, perPage } = params.pagination ?? { page: 1, perPage: 25 }
    const filter = toQuery(clean(params.filter))
    const key = JSON.stringify([resource, perPage, filter])
    const starts = cursors.get(key) ?? [undefined]
    cursors.set(key, starts)
    let index = Math.min(page - 1, starts.length - 1)
    let result = await fetchPage({ ...filter, limit: perPage, cursor: starts[index] })
    while (index < page - 1 && result.next_cursor) {
      starts[++index] = result.next_cursor
      result = await fetchPage({ ...filter, limit: perPage, cursor: result.next_cursor })
    }
    if (result.next_cursor) starts[index + 1] = result.next_cursor
    const hasNextPage = result.next_cursor !== null
    return {
      data: result.data,
      pageInfo: { hasNextPage, hasPreviousPage: index > 0 },
      // Known only once the last page is reached; without it the last page counts wrong.
      ...(hasNextPage ? {} : { total: index * perPage + result.data.length }),
    }
  }

  const lists: Record<string, (params: GetListParams) => Promise<GetListResult<any>>> = {
    'users': (params) => cursorPage('users', params, (q) => purse.admin.users.list(q)),
    'transfers': (params) =>
      cursorPage('transfers', params, (q) =>
        purse.admin.transfers.list(q as Parameters<PurseClient['admin']['transfers']['list']>[0])
      ),
    'audit-log': (params) =>
      cursorPage('audit-log', params, (q) =>
        purse.admin.auditLog(q as Parameters<PurseClient['admin']['auditLog']>[0])
      ),
    'events': (params) =>
      cursorPage('events', params, (q) =>
        purse.admin.events(q as Parameters<PurseClient['admin']['events']>[0])
      ),
    'proposals': (params) =>
      cursorPage('proposals', params, (q) =>
        purse.admin.proposals.list(q as Parameters<PurseClient['admin']['proposals']['list']>[0])
      ),
  }

  const ones: Record<string, (id: string) => Promise<RaRecord>> = {
    users: (id) => purse.admin.users.get(id),
    transfers: (id) => purse.admin.transfers.get(id),
    proposals: (id) => purse.admin.proposals.get(id),
  }

  const refuse = (what: string) => () =>
    Promise.reject(new Error(`${what} is not something the console does`))

  const provider = {
    async getList(resource: string, params: GetListParams) {
      const list = lists[resource]
      if (!list) throw new Error(`No list of ${resource}`)
      return list(params)
    },
    async getOne(resource: string, { id }: { id: RaRecord['id'] }) {
      const one = ones[resource]
      if (!one) throw new Error(`No ${resource} by id`)
      return { data: await one(String(id)) }
    },
    async getMany(resource: string, { ids }: { ids: RaRecord['id'][] }) {
      const one = ones[resource]
      if (!one) throw new Error(`No ${resource} by id`)
      return { data: await Promise.all(ids.map((id) => one(String(id)))) }
    },
    async getManyReference(
      resource: string,
      params: GetListParams & { target: string; id: RaRecord['id'] }
    ) {
      return provider.getList(resource, {
        ...params,
        filter: { ...params.filter, [params.target]: params.id },
      })
    },
    create: refuse('Creating records'),
    update: refuse('Editing records'),
    updateMany: refuse('Editing records'),
    delete: refuse('Deleting records'),
    deleteMany: refuse('Deleting records'),

    // Console actions: each is one audited API call.
    overview: (since: Date) => purse.admin.overview({ since: since.toISOString() }),
    freezeUser: (id: string, reason: string) => purse.admin.users.freeze(id, reason),
    unfreezeUser: (id: string, reason: string) => purse.admin.users.unfreeze(id, reason),
    reverseTransfer: (id: string, reason: string) => purse.admin.transfers.reverse(id, reason),
    approveProposal: (id: string, reason: string) => purse.admin.proposals.approve(id, reason),
    rejectProposal: (id: string, reason: string) => purse.admin.proposals.reject(id, reason),
    adjustWallet: (id: string, amount: number, reason: string, idempotencyKey: string) =>
      purse.admin.wallets.adjust(id, { amount, reason }, { idempotencyKey }),
    statement: (id: string, range: { from?: string; to?: string }) =>
      purse.admin.wallets.statement(id, range),
    statementCsv: (id: string, range: { from?: string; to?: string }) =>
      purse.admin.wallets.statementCsv(id, range),
    limits: (userId: string) => purse.admin.users.limits(userId),
    setLimit: (
      userId: string,
      currency: string,
      rule: LimitState['rule'],
      value: number | null,
      reason: string
    ) => purse.admin.users.setLimit(userId, { currency, rule, value, reason }),
    sessions: (userId: string) => purse.admin.security.sessions(userId),
    endSessions: (userId: string, reason: string) =>
      purse.admin.security.endSessions(userId, reason),
    resendVerification: (userId: string, reason: string) =>
      purse.admin.security.resendVerification(userId, reason),
    apiKeys: (userId: string) => purse.admin.apiKeys.list(userId),
    revokeApiKey: (id: string, reason: string) => purse.admin.apiKeys.revoke(id, reason),
    webhookEndpoints: (userId: string) => purse.admin.webhooks.endpoints(userId),
    webhookAttempts: (endpointId: string, cursor?: string) =>
      purse.admin.webhooks.attempts(endpointId, { limit: 50, cursor }),
    resendWebhook: (endpointId: string, eventId: string, reason: string) =>
      purse.admin.webhooks.resend(endpointId, eventId, reason),
  }
  // react-admin's methods are generic over the record type; this is the one place that is narrowed.
  return provider as typeof provider & DataProvider
}

export type ConsoleDataProvider = ReturnType<typeof createDataProvider>

/**
 * Filters as people type them to the API's query: a day (from a date input)
 * is the viewer's local day, `to` included; amounts are decimal text in the
 * filter's currency, turned into minor units without floats.
 */
function toQuery(filter: Filter): Filter {
  const query: Filter = { ...filter, ...dayRange(filter.from, filter.to) }
  const currency = typeof filter.currency === 'string' ? filter.currency : 'USD'
  for (const [field, param] of [
    ['min', 'min_amount'],
    ['max', 'max_amount'],
  ] as const) {
    delete query[field]
    if (typeof filter[field] === 'string') query[param] = parseAmount(filter[field], currency)
  }
  return query
}

/** Drop empty filter values so they are not sent as `?q=`. */
function clean(filter: Filter | undefined): Filter {
  return Object.fromEntries(
    Object.entries(filter ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '')
  )
}
