import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import User from '#models/user'
import { HistoryReconciler } from '#history/history_reconciler'

/** `node ace history:reconcile`: restore history rows lost to a crash between ledger commit and indexing. */
export default class ReconcileHistory extends BaseCommand {
  static commandName = 'history:reconcile'
  static description =
    'Write history rows for ledger transfers the app committed but did not index (after a crash)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'Only users active in the last N hours', default: 24 })
  declare hours: number

  async run() {
    const reconciler = new HistoryReconciler()
    const since = new Date(Date.now() - this.hours * 3600 * 1000)
    let written = 0
    let users = 0
    for await (const user of this.users(since)) {
      written += await reconciler.reconcileUser(user)
      users++
    }
    this.logger.success(`looked at ${users} users, restored ${written} history rows`)
  }

  private async *users(since: Date) {
    let page = 1
    for (;;) {
      const batch = await User.query()
        .where('updated_at', '>=', since)
        .orWhereExists((q) =>
          q
            .from('transfers')
            .whereRaw('transfers.sender_id = users.id')
            .where('transfers.created_at', '>=', since)
        )
        .orderBy('id')
        .forPage(page++, 200)
      if (batch.length === 0) return
      yield* batch
    }
  }
}
