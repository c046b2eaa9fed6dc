import type { FastifyReply } from 'fastify'
import type { Ledger, Replayable } from '../engine/ledger.ts'

/** What a handler reads of a request, already checked against the contract's schemas. */
interface Request {
  params: any
  query: any
  body: any
  headers: Record<string, string | string[] | undefined>
}

/** One handler per operationId of openapi.yaml: translate, call the Ledger, translate back. */
export function handlers(ledger: Ledger) {
  const key = (request: Request) => request.headers['idempotency-key'] as string | undefined
  const replayable = (reply: FastifyReply, result: Replayable<unknown>) => {
    if (result.replayed) reply.header('idempotent-replayed', 'true')
    return reply.code(result.status).send(result.body)
  }
  const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value))

  return {
    getHealth: async (_request: Request, reply: FastifyReply) => {
      const health = await ledger.health()
      return reply.code(health.status === 'ok' ? 200 : 503).send(health)
    },
    getMetrics: async (_request: Request, reply: FastifyReply) => {
      ledger.observePool()
      return reply
        .type(ledger.metrics.registry.contentType)
        .send(await ledger.metrics.registry.metrics())
    },
    getInvariants: () => ledger.invariants(),

    ensureAccount: async (request: Request, reply: FastifyReply) =>
      replayable(reply, await ledger.ensureAccount(request.body, key(request))),
    listAccounts: (request: Request) => ledger.listAccounts(request.query),
    getAccount: (request: Request) => ledger.getAccount(request.params.account_id),
    freezeAccount: async (request: Request, reply: FastifyReply) =>
      replayable(
        reply,
        await ledger.setAccountStatus(request.params.account_id, 'frozen', key(request))
      ),
    unfreezeAccount: async (request: Request, reply: FastifyReply) =>
      replayable(
        reply,
        await ledger.setAccountStatus(request.params.account_id, 'active', key(request))
      ),
    getBalance: (request: Request) =>
      ledger.getBalance(request.params.account_id, date(request.query.as_of)),
    listAccountTransfers: (request: Request) =>
      ledger.listAccountTransfers(request.params.account_id, request.query),
    listAccountEntries: (request: Request) =>
      ledger.listAccountEntries(request.params.account_id, {
        ...request.query,
        from: date(request.query.from),
        to: date(request.query.to),
      }),

    createTransfer: async (request: Request, reply: FastifyReply) =>
      replayable(reply, await ledger.createTransfer(request.body, key(request)!)),
    createTransferBatch: async (request: Request, reply: FastifyReply) =>
      replayable(reply, await ledger.createTransferBatch(request.body, key(request)!)),
    getTransfer: (request: Request) => ledger.getTransfer(request.params.transfer_id),
    listTransferEntries: (request: Request) =>
      ledger.listTransferEntries(request.params.transfer_id),
    postTransfer: async (request: Request, reply: FastifyReply) =>
      replayable(
        reply,
        await ledger.postTransfer(request.params.transfer_id, request.body ?? {}, key(request)!)
      ),
    voidTransfer: async (request: Request, reply: FastifyReply) =>
      replayable(reply, await ledger.voidTransfer(request.params.transfer_id, key(request)!)),
    reverseTransfer: async (request: Request, reply: FastifyReply) =>
      replayable(
        reply,
        await ledger.reverseTransfer(request.params.transfer_id, request.body ?? {}, key(request)!)
      ),
  }
}
