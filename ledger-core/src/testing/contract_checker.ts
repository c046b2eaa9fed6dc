import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import $RefParser from '@apidevtools/json-schema-ref-parser'
import { readFile } from 'node:fs/promises'
import { parse } from 'yaml'

interface Route {
  method: string
  template: string
  pattern: RegExp
  /** The same path with its last parameter empty (`/v1/transfers/`). */
  emptyLast: RegExp | null
  responses: Record<string, Record<string, ValidateFunction | null>>
}

/**
 * Checks a response against an OpenAPI document: the status must be
 * declared for the operation, and the body must match its schema. Every
 * response the ledger tests see goes through here.
 */
export class ContractChecker {
  private readonly routes: Route[]
  readonly seen = new Set<string>()

  private constructor(routes: Route[]) {
    this.routes = routes
  }

  static async load(file: URL): Promise<ContractChecker> {
    const document: any = await $RefParser.dereference(parse(await readFile(file, 'utf8')))
    // OpenAPI 3.1 schemas are JSON Schema 2020-12 (unevaluatedProperties closes an allOf).
    const ajv = addFormats.default(new Ajv2020({ allErrors: true, strict: false }))
    const routes: Route[] = []
    for (const [template, item] of Object.entries<any>(document.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
        const op = item[method]
        if (!op) continue
        const responses: Route['responses'] = {}
        for (const [status, response] of Object.entries<any>(op.responses)) {
          responses[status] = {}
          for (const [type, media] of Object.entries<any>(response.content ?? {})) {
            responses[status]![type] = media.schema ? ajv.compile(media.schema) : null
          }
        }
        const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`)
        const emptyLast = /\{\w+\}$/.test(template)
          ? new RegExp(`^${template.replace(/\{\w+\}$/, '').replace(/\{\w+\}/g, '[^/]+')}$`)
          : null
        routes.push({ method: method.toUpperCase(), template, pattern, emptyLast, responses })
      }
    }
    return new ContractChecker(routes)
  }

  /** Throws when the response is not one the contract allows. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown) {
    // Both servers route `/x/` as `/x`.
    const path = url.length > 1 ? url.replace(/\/+$/, '') : url
    // …unless no route has that path: Fastify takes `/v1/transfers/` as
    // `/v1/transfers/{transfer_id}` with an empty id (a dot segment leads there).
    const route =
      this.routes.find((r) => r.method === method && r.pattern.test(path)) ??
      this.routes.find((r) => r.method === method && url.endsWith('/') && r.emptyLast?.test(url))
    if (!route) {
      // An unknown path answers 404, a method a path does not take 405: checked by their own tests.
      if (status === 404 || status === 405) return
      throw new Error(`contract: ${method} ${path} is not in the contract`)
    }
    const declared = route.responses[String(status)]
    if (!declared) throw new Error(`contract: ${method} ${route.template} may not answer ${status}`)
    const type = (contentType ?? '').split(';')[0]!.trim()
    const declaresNoBody = Object.keys(declared).length === 0
    if (declaresNoBody && (body === '' || body === null || body === undefined)) {
      this.seen.add(`${method} ${route.template} ${status}`)
      return
    }
    if (!(type in declared)) {
      throw new Error(
        `contract: ${method} ${route.template} ${status} may not answer ${type || 'no content type'}`
      )
    }
    const validate = declared[type]
    if (validate && !validate(body)) {
      throw new Error(
        `contract: ${method} ${route.template} ${status} body does not match: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`
      )
    }
    this.seen.add(`${method} ${route.template} ${status}`)
  }
}
