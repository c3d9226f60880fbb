// Grants with the demo project's generated types: row-level security the compiler checks.
import '../../../examples/tinybird-types';
import { describe, it } from 'vitest';
import { createTinybirdJWT, createTokenHandler, endpointQueryOptions } from 'react-tinybird/server';
import type { TinybirdClient } from 'react-tinybird';
import type { GrantScope } from 'react-tinybird/server';

const signingKey = 'p.x';

describe('grants with generated types', () => {
  it('sign scopes on the project resources, pinning params the pipe reads', () => {
    void createTinybirdJWT({
      signingKey,
      name: 'u',
      scopes: [
        { type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_42', limit: 10 } },
        { type: 'PIPES:READ', resource: 'bookings_per_hour', fixed_params: { start: '2024-05-01 00:00:00' } },
        { type: 'DATASOURCES:READ', resource: 'events', filter: "user_id = 'u_42'" },
        { type: 'DATASOURCES:APPEND', resource: 'events' },
      ],
    });
  });

  it('refuse a pin the pipe would silently ignore', () => {
    void createTinybirdJWT({
      signingKey,
      name: 'u',
      // @ts-expect-error top_airlines does not read user_id: every row would be readable
      scopes: [{ type: 'PIPES:READ', resource: 'top_airlines', fixed_params: { user_id: 'u_42' } }],
    });
    const wrongType: GrantScope = {
      type: 'PIPES:READ',
      resource: 'user_bookings',
      // @ts-expect-error limit is a number
      fixed_params: { user_id: 'u', limit: 'ten' },
    };
    void wrongType;
  });

  it('refuse resources the project does not have', () => {
    // @ts-expect-error no such pipe
    const pipe: GrantScope = { type: 'PIPES:READ', resource: 'user_booking' };
    // @ts-expect-error no such data source
    const ds: GrantScope = { type: 'DATASOURCES:APPEND', resource: 'event' };
    void pipe;
    void ds;
  });

  it('type the token route grant the same way', () => {
    createTokenHandler({
      signingKey,
      authorize: () => ({
        name: 'u',
        scopes: [{ type: 'PIPES:READ', resource: 'user_bookings', fixed_params: { user_id: 'u_42' } }],
      }),
    });
    createTokenHandler({
      signingKey,
      authorize: () => ({
        name: 'u',
        // @ts-expect-error kpis does not read user_id
        scopes: [{ type: 'PIPES:READ', resource: 'kpis', fixed_params: { user_id: 'u_42' } }],
      }),
    });
  });
});

describe('the server entry reads the same Register', () => {
  it('types endpointQueryOptions for prefetching', () => {
    const client = {} as TinybirdClient;
    endpointQueryOptions(client, 'user_bookings', { user_id: 'u' });
    // @ts-expect-error no such pipe
    endpointQueryOptions(client, 'user_booking', {});
    // @ts-expect-error user_id is required
    endpointQueryOptions(client, 'user_bookings', {});
  });
});
