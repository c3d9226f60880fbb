import { getSessionUser } from '@/lib/session';
import { signIn } from './actions';

export default async function Home() {
  const user = await getSessionUser();
  return (
    <section>
      <h1>Airline bookings on Tinybird</h1>
      <p>
        Each demo user (<code>u_0</code> … <code>u_999</code>) gets a short-lived JWT that reads every airline&apos;s
        totals and only their own bookings.
      </p>
      {user ? (
        <p>Signed in as {user}.</p>
      ) : (
        <form action={signIn}>
          <input type="hidden" name="next" value="/dashboard" />
          <label>
            User <input name="user" defaultValue="u_42" size={6} pattern="u_\d{1,3}" required />
          </label>{' '}
          <button type="submit">Sign in</button>
        </form>
      )}
    </section>
  );
}
