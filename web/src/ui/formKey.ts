/**
 * A React `key` for a form drawer or modal that edits one record at a time. antd keeps a form's
 * values in the `useForm` store, which outlives the drawer's destroyed content: without a new key
 * per subject, editing building 2 after building 1 shows (and saves!) building 1's values.
 * Keyed by the record's id, or 'new' for a create form, the component — and its store — is fresh
 * for each subject.
 */
export function formKey(open: boolean, subject: { id: string } | null | undefined): string {
  if (!open) return 'closed';
  return subject ? subject.id : 'new';
}
