import { readFile } from 'node:fs/promises'
import $RefParser from '@apidevtools/json-schema-ref-parser'
import { parse } from 'yaml'

export const contract_path = new URL('../../openapi.yaml', import.meta.url)

export interface Operation {
  operationId: string
  method: string
  /** The OpenAPI path, e.g. /v1/transfers/{transfer_id}. */
  path: string
  secured: boolean
  /** The operation takes a JSON body that may be left out. */
  optionalBody: boolean
  schema: {
    params?: object
    querystring?: object
    headers?: object
    body?: object
  }
}

/**
 * Read openapi.yaml, the single source of truth, and turn each operation
 * into the request schemas the HTTP server validates with.
 */
export async function loadContract(): Promise<{ document: any; operations: Operation[] }> {
  const document = parse(await readFile(contract_path, 'utf8'))
  const resolved: any = await $RefParser.dereference(structuredClone(document))
  const operations: Operation[] = []
  for (const [path, item] of Object.entries<any>(resolved.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method]
      if (!op) continue
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])]
      const group = (where: string, lower = false) => {
        const list = parameters.filter((p: any) => p.in === where)
        if (list.length === 0) return undefined
        const name = (p: any) => (lower ? p.name.toLowerCase() : p.name)
        return {
          type: 'object',
          properties: Object.fromEntries(list.map((p: any) => [name(p), p.schema])),
          required: list.filter((p: any) => p.required).map(name),
        }
      }
      const body = op.requestBody?.content?.['application/json']?.schema
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        secured: !(Array.isArray(op.security) && op.security.length === 0),
        optionalBody: Boolean(body) && !op.requestBody.required,
        schema: withoutEmpty({
          params: group('path'),
          querystring: group('query'),
          headers: group('header', true),
          body,
        }),
      })
    }
  }
  return { document, operations }
}

function withoutEmpty<T extends object>(parts: T): Partial<T> {
  return Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined)) as Partial<T>
}
