import type { FC } from 'hono/jsx';
import { TextField } from './fields.tsx';
import { Page, type PageContext } from './layout.tsx';

/** The sign-in form: the admin token, exchanged for a session cookie. */
export const SignInPage: FC<{ context: PageContext; next: string; error?: string; notice?: string }> = ({
  context,
  next,
  error,
  notice,
}) => (
  <Page context={context} title="Sign in" notice={notice}>
    <form method="post" action="/admin/sign-in" class="signin">
      <input type="hidden" name="next" value={next} />
      <TextField
        type="password"
        id="token"
        name="token"
        label="Admin token"
        hint="The ADMIN_TOKEN the service runs with. You stay signed in for 12 hours on this browser."
        autocomplete="current-password"
        errors={error ? [error] : undefined}
        required
      />
      <p class="actions">
        <button type="submit">Sign in</button>
      </p>
    </form>
  </Page>
);
