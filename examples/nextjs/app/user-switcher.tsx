import { signIn, signOut } from './actions';

/** Switches to another demo user in place (setting the cookie re-renders this page on the server), or signs out. */
export function UserSwitcher({ user }: { user: string }) {
  return (
    <div className="session">
      <form action={signIn}>
        <label>
          Signed in as <input name="user" defaultValue={user} size={6} pattern="u_\d{1,3}" required />
        </label>
        <button type="submit">Switch user</button>
      </form>
      <form action={signOut}>
        <button type="submit">Sign out</button>
      </form>
    </div>
  );
}
