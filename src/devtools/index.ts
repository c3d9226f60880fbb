'use client';
/**
 * react-tinybird/devtools: a panel on the provider's token, requests, append queues and cache, for development. Imports
 * the hooks through 'react-tinybird', so it sees the same provider and adds nothing to the main entry.
 */
export { TinybirdDevtools, type TinybirdDevtoolsProps } from './TinybirdDevtools';
export { TinybirdDevtoolsPanel } from './TinybirdDevtoolsPanel';
export { createRequestLog, type RequestEntry, type RequestLog } from './createRequestLog';
