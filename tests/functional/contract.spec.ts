import { readFile } from 'node:fs/promises'
import { test } from '@japa/runner'
import { parse } from 'yaml'
import { api_errors } from '#exceptions/api_error'

test.group('Contract', () => {
  test('the error catalogue and the contract name the same codes', async ({ assert }) => {
    const contract = parse(
      await readFile(new URL('../../openapi/public.yaml', import.meta.url), 'utf8')
    )
    assert.sameMembers(
      contract.components.schemas.Problem.properties.code.enum,
      Object.keys(api_errors)
    )
  })

  test('the contract is served as JSON, with interactive docs from this server', async ({
    client,
    assert,
  }) => {
    const json = await client.get('/openapi.json')
    json.assertStatus(200)
    assert.equal(json.body().openapi, '3.1.0')
    const page = await client.get('/docs')
    page.assertStatus(200)
    assert.include(page.text(), '/docs/assets/swagger-ui-bundle.js')
    ;(await client.get('/docs/assets/swagger-ui.css')).assertStatus(200)
    ;(await client.get('/docs/assets/package.json')).assertStatus(404)
  })
})
