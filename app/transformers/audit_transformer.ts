/** An audit_logs row (joined with its actor's email) as the API shows it. */
export function auditRowToJson(row: any) {
  return {
    id: row.id as string,
    // No actor: an operator on the command line, named in the details.
    actor: row.actor_id ? { id: row.actor_id as string, email: row.actor_email as string } : null,
    action: row.action as string,
    target_type: row.target_type as string,
    target_id: row.target_id as string,
    reason: row.reason as string,
    request_id: row.request_id as string | null,
    details: row.details as Record<string, unknown>,
    created_at: new Date(row.created_at).toISOString(),
  }
}
