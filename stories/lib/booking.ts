// A demo booking for the events data source (examples/tinybird/events.datasource), as a page would append it.
const AIRLINES = ['Ryanair', 'Lufthansa', 'easyJet', 'Iberia', 'KLM'];
const AIRPORTS = ['MAD', 'BCN', 'LHR', 'CDG', 'AMS', 'FRA'];

export interface Booking {
  timestamp: string;
  user_id: string;
  airline: string;
  origin: string;
  destination: string;
  passengers: number;
  price: number;
  cabin: string;
}

let n = 0;

/** Tinybird DateTime: 'YYYY-MM-DD hh:mm:ss' in UTC. */
export const nowUtc = (): string => new Date().toISOString().slice(0, 19).replace('T', ' ');

export function booking(user_id: string): Booking {
  n++;
  return {
    timestamp: nowUtc(),
    user_id,
    airline: AIRLINES[n % AIRLINES.length]!,
    origin: AIRPORTS[n % AIRPORTS.length]!,
    destination: AIRPORTS[(n + 2) % AIRPORTS.length]!,
    passengers: 1 + (n % 3),
    price: 49 + ((n * 37) % 200),
    cabin: n % 4 === 0 ? 'business' : 'economy',
  };
}
