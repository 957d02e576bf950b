/** Stands in for `@googleapis/gmail` in the monolith bundles of the bundles benchmark: the same namespace, from `googleapis`. */
export { gmail_v1 } from 'googleapis';
