import type { HttpContext } from '@adonisjs/core/http'
import { findEvent, listEvents } from '#events/event_reads'
import { openEventStream } from '#events/event_stream'
import { eventToJson } from '#transformers/event_transformer'
import { listEventsValidator } from '#validators/event_validators'
import { isUuid } from '#validators/uuid'
import { ApiError } from '#exceptions/api_error'

export default class EventsController {
  async index({ request, auth }: HttpContext) {
    const query = await listEventsValidator.validate(request.qs())
    const page = await listEvents({
      userId: auth.getUserOrFail().id,
      type: query.type,
      limit: query.limit ?? 25,
      cursor: query.cursor,
    })
    return { data: page.data.map(eventToJson), next_cursor: page.next_cursor }
  }

  async show({ params, auth }: HttpContext) {
    if (!isUuid(params.id)) throw new ApiError('not_found', 'No such event')
    return eventToJson(await findEvent(auth.getUserOrFail().id, params.id))
  }

  async stream({ request, response, auth }: HttpContext) {
    const { stream, close } = await openEventStream(
      auth.getUserOrFail().id,
      request.header('last-event-id')
    )
    request.request.once('close', close)
    response.header('content-type', 'text/event-stream; charset=utf-8')
    // nginx would otherwise hold events back to fill its buffer.
    response.header('x-accel-buffering', 'no')
    response.stream(stream)
  }
}
