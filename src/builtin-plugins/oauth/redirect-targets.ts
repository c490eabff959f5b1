import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '@nexus/plugin-sdk';
import type { ProviderId } from './oauth-settings.js';

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The callback URL the provider sends the browser back to: `auth.oauth.<provider>.redirect_url`
 * when set, else this server's `/auth/oauth/<provider>/callback` on the host the browser used.
 * The derived one is always http://, since this server speaks plain HTTP; behind a TLS proxy set
 * `redirect_url`. A forged Host header gains nothing: the provider only redirects to URLs
 * registered for the client.
 */
export function redirectUriFor(provider: ProviderId, configured: string | undefined, headers: IncomingHttpHeaders): string {
  if (configured) return configured;
  const host = headers.host?.trim();
  if (!host || !HOST.test(host)) {
    throw new HttpError(
      400,
      'bad_host',
      `cannot tell this server's address from the request's Host header, so the callback URL is unknown; set auth.oauth.${provider}.redirect_url to the URL registered with the provider (for example https://nexus.example.com/auth/oauth/${provider}/callback)`,
    );
  }
  return `http://${host}/auth/oauth/${provider}/callback`;
}

/** Keeps the sealed cookie (which carries return_to) well under browsers' 4 KiB cookie limit. */
const MAX_RETURN_TO = 1024;

/**
 * Checks `return_to`: a path on this same origin (`/app/signed-in`), so the sign-in cannot be
 * turned into a redirect to another site that receives the token. Scheme-relative (`//evil`),
 * backslash (`/\evil`, which browsers read as `//`), control characters and a fragment of its own
 * (the token goes in the fragment) are refused.
 *
 * What passes is returned percent-encoded: every character outside printable ASCII (`/café`,
 * `/日本`, a space) becomes its UTF-8 `%XX` bytes, as browsers send them. It ends up in the
 * callback's `Location` header, and a header can carry nothing else: left as it was, the callback
 * would fail with a 500 after its state was spent and the user created. Text with no UTF-8 form
 * (a lone surrogate) is refused here instead.
 */
export function checkReturnTo(value: string | null): string | undefined {
  if (value === null) return undefined;
  const problem =
    value.length === 0
      ? `must be 1 to ${MAX_RETURN_TO} characters long`
      : !value.startsWith('/') || value.startsWith('//')
        ? 'must be a path on this server starting with a single /, such as /app/signed-in'
        : // eslint-disable-next-line no-control-regex
          /[\\\u0000-\u001f\u007f#]/.test(value)
          ? 'must not contain backslashes, control characters or a # fragment'
          : undefined;
  if (problem) throw new HttpError(400, 'bad_return_to', `return_to ${problem}`);
  const encoded = percentEncodeBeyondAscii(value);
  if (encoded === undefined) throw new HttpError(400, 'bad_return_to', 'return_to is not valid Unicode (it holds a lone surrogate, which has no UTF-8 form)');
  if (encoded.length > MAX_RETURN_TO) {
    throw new HttpError(400, 'bad_return_to', `return_to must be 1 to ${MAX_RETURN_TO} characters long once percent-encoded; it is ${encoded.length}`);
  }
  return encoded;
}

/** `value` with each character outside printable ASCII as UTF-8 `%XX`; undefined for a lone surrogate. */
function percentEncodeBeyondAscii(value: string): string | undefined {
  try {
    return value.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));
  } catch {
    return undefined;
  }
}
