// The page the close-and-reopen tests and the bench load in Chromium: a provider with useAppend, driven from
// Playwright through `window.appendPage`. Query string: `flush` (flushInterval, ms), `persist=0`, `key` (storageKey).
import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { TinybirdProvider, useAppend, useTinybird } from 'react-tinybird';
import type { QueueStats } from 'react-tinybird';

export interface AppendPageApi {
  /** Resolves once the provider holds a token. */
  ready(): Promise<void>;
  /** Appends `count` demo bookings for `user`, with booking ids `<user>-<from + i>`. */
  append(user: string, count: number, from?: number): void;
  stats(): QueueStats;
  /** Keys this origin has in localStorage under the default namespace. */
  storedKeys(): string[];
  clearStored(): number;
}

declare global {
  interface Window {
    appendPage: AppendPageApi;
  }
}

const AIRLINES = ['Ryanair', 'Lufthansa', 'easyJet', 'Iberia', 'KLM'];
const query = new URLSearchParams(location.search);

function Expose() {
  const client = useTinybird();
  const { append } = useAppend('events');
  useEffect(() => {
    window.appendPage = {
      ready: () => client.tokens.getToken().then(() => undefined),
      append(user, count, from = 0) {
        const timestamp = new Date().toISOString().slice(0, 19).replace('T', ' ');
        append(
          Array.from({ length: count }, (_, i) => ({
            timestamp,
            booking_id: `${user}-${from + i}`,
            user_id: user,
            airline: AIRLINES[i % AIRLINES.length]!,
            origin: 'MAD',
            destination: 'LHR',
            passengers: 1 + (i % 3),
            price: 49 + ((i * 37) % 200),
            cabin: i % 4 === 0 ? 'business' : 'economy',
          })),
        );
      },
      stats: () => client.events.stats('events'),
      storedKeys: () => Object.keys(localStorage).filter((key) => key.startsWith('react-tinybird:events:')),
      clearStored: () => client.events.clearStored(),
    };
    document.body.dataset.ready = 'true';
  }, [client, append]);
  return null;
}

createRoot(document.getElementById('root')!).render(
  <TinybirdProvider
    tokenUrl="/api/tinybird-token"
    events={{
      flushInterval: Number(query.get('flush') ?? 1000),
      persist: query.get('persist') !== '0',
      ...(query.has('key') && { storageKey: query.get('key')! }),
    }}
  >
    <Expose />
  </TinybirdProvider>,
);
