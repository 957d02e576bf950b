/**
 * Stands in for every `@googleapis/*` client module in the monolith bundles of the bundles benchmark:
 * the same namespaces, from `googleapis`.
 */
export { admin_datatransfer_v1, admin_directory_v1, drive_v3, gmail_v1 } from 'googleapis';
