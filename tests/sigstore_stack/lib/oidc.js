// A minimal OpenID Connect provider: discovery, an authorization endpoint
// that approves at once (redirecting to the client's loopback listener, or
// showing the code for the out-of-band flow), a token endpoint checking
// PKCE, a JWKS, plus the ambient-credential endpoints of GitHub Actions,
// the GCP metadata server and the IAM Credentials API (service-account
// impersonation). Tokens are ES256 JWTs.
'use strict';

const crypto = require('crypto');
const jose = require('jose');
const { json } = require('./service');

const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';

class OidcProvider {
  constructor(service, state) {
    this.service = service;
    this.state = state;
    this.issuer = service.url;
    this.keys = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.kid = 'stack-key-1';
    this.codes = new Map();
    // What the interactive flow's user "is".
    this.user = { sub: 'user-0001', email: 'signer@example.com' };
    this.githubRequestToken = crypto.randomBytes(16).toString('hex');
    this.githubSubject =
      'https://github.com/acme/model/.github/workflows/sign.yml@refs/heads/main';
    this.gcpSubject = 'signer@acme-project.iam.gserviceaccount.com';
    // GOOGLE_SERVICE_ACCOUNT_NAME impersonation: the metadata server hands
    // out this access token, which the IAM Credentials stand-in requires.
    this.gcpImpersonated = 'release@acme-project.iam.gserviceaccount.com';
    this.gcpAccessToken = crypto.randomBytes(16).toString('hex');
    this.addRoutes();
  }

  // claims: extra/overriding claims; opts: {expOffset (s), aud}.
  async mint(claims, opts = {}) {
    const now = Math.floor(Date.now() / 1000);
    const expOffset = opts.expOffset === undefined ? 600 : Number(opts.expOffset);
    const payload = Object.assign({ iat: now - 5, nbf: now - 5, exp: now + expOffset }, claims);
    return new jose.SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(opts.aud || 'sigstore')
      .sign(this.keys.privateKey);
  }

  // Validates a token the way Fulcio does (signature, issuer, audience,
  // expiry); throws with the reason.
  async verify(token) {
    const { payload } = await jose.jwtVerify(token, this.keys.publicKey, {
      issuer: this.issuer,
      audience: 'sigstore',
    });
    return payload;
  }

  tokenKnobs() {
    return this.state.faults.oidc || {};
  }

  addRoutes() {
    const s = this.service;
    s.route('GET', '/.well-known/openid-configuration', () => json(200, {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/auth`,
      token_endpoint: `${this.issuer}/token`,
      jwks_uri: `${this.issuer}/keys`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email'],
    }));

    s.route('GET', '/keys', async () => {
      const jwk = await jose.exportJWK(this.keys.publicKey);
      return json(200, { keys: [Object.assign(jwk, { kid: this.kid, alg: 'ES256', use: 'sig' })] });
    });

    s.route('GET', '/auth', (_body, _req, url) => this.authorize(url.searchParams));
    s.route('POST', '/token', (body, req) => this.token(body, req));

    // GitHub Actions: ACTIONS_ID_TOKEN_REQUEST_URL (+ &audience=...) with
    // "Authorization: bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN".
    s.route('GET', '/github/token', async (_body, req, url) => {
      if (req.headers.authorization !== `bearer ${this.githubRequestToken}` &&
          req.headers.authorization !== `Bearer ${this.githubRequestToken}`) {
        return json(401, { message: 'bad request token' });
      }
      const aud = url.searchParams.get('audience') || 'github';
      const value = await this.mint({
        sub: this.githubSubject,
        repository: 'acme/model',
        ref: 'refs/heads/main',
        workflow: 'sign',
      }, { aud });
      return json(200, { count: 1, value });
    });

    // GCP metadata server (GCE_METADATA_HOST).
    s.route('GET', '/computeMetadata/v1/instance/service-accounts/default/identity',
      async (_body, req, url) => {
        if (req.headers['metadata-flavor'] !== 'Google') {
          return { statusCode: 403, response: 'missing Metadata-Flavor' };
        }
        const aud = url.searchParams.get('audience') || 'none';
        const token = await this.mint(
          { sub: this.gcpSubject, email: this.gcpSubject, email_verified: true }, { aud });
        return { statusCode: 200, response: token, contentType: 'application/text' };
      });

    s.route('GET', '/computeMetadata/v1/instance/service-accounts/default/token',
      (_body, req, url) => {
        if (req.headers['metadata-flavor'] !== 'Google') {
          return { statusCode: 403, response: 'missing Metadata-Flavor' };
        }
        if (url.searchParams.get('scopes') !== 'https://www.googleapis.com/auth/cloud-platform') {
          return json(400, { error: 'unexpected scopes' });
        }
        return json(200, { access_token: this.gcpAccessToken, expires_in: 3599, token_type: 'Bearer' });
      });

    // IAM Credentials API (generateIdToken) for the one account it knows.
    s.route('POST', `/v1/projects/-/serviceAccounts/${this.gcpImpersonated}:generateIdToken`,
      async (body, req) => {
        if (req.headers.authorization !== `Bearer ${this.gcpAccessToken}`) {
          return json(401, { error: { code: 401, message: 'bad access token' } });
        }
        const request = JSON.parse(body.toString() || '{}');
        if (!request.audience || request.includeEmail !== true) {
          return json(400, { error: { code: 400, message: 'audience and includeEmail required' } });
        }
        const token = await this.mint({
          sub: this.gcpImpersonated, email: this.gcpImpersonated, email_verified: true,
        }, { aud: request.audience });
        return json(200, { token });
      });
  }

  authorize(params) {
    const required = ['response_type', 'client_id', 'redirect_uri', 'code_challenge',
      'code_challenge_method', 'state', 'scope'];
    for (const name of required) {
      if (!params.get(name)) return { statusCode: 400, response: `missing ${name}` };
    }
    if (params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256') {
      return { statusCode: 400, response: 'unsupported response_type or challenge method' };
    }
    if (!params.get('scope').split(' ').includes('openid')) {
      return { statusCode: 400, response: 'scope must include openid' };
    }
    const redirect = params.get('redirect_uri');
    if (redirect !== OOB_REDIRECT && !/^http:\/\/(localhost|127\.0\.0\.1):\d+\//.test(redirect)) {
      return { statusCode: 400, response: 'redirect_uri must be a loopback URL or OOB' };
    }
    const code = crypto.randomBytes(16).toString('hex');
    this.codes.set(code, {
      clientId: params.get('client_id'),
      redirect,
      challenge: params.get('code_challenge'),
      nonce: params.get('nonce'),
    });
    if (redirect === OOB_REDIRECT) {
      return {
        statusCode: 200,
        contentType: 'text/html',
        response: `<html><body>Your verification code: <code id="code">${code}</code></body></html>`,
      };
    }
    const location = new URL(redirect);
    location.searchParams.set('code', code);
    location.searchParams.set('state', params.get('state'));
    return { statusCode: 302, headers: { Location: location.toString() }, response: '' };
  }

  async token(body, req) {
    const form = new URLSearchParams(body.toString());
    let clientId = form.get('client_id');
    const auth = req.headers.authorization;
    if (auth && auth.startsWith('Basic ')) {
      clientId = Buffer.from(auth.slice(6), 'base64').toString().split(':')[0];
    }
    if (form.get('grant_type') !== 'authorization_code') {
      return json(400, { error: 'unsupported_grant_type' });
    }
    const grant = this.codes.get(form.get('code'));
    this.codes.delete(form.get('code'));
    if (!grant) return json(400, { error: 'invalid_grant', error_description: 'unknown code' });
    if (grant.redirect !== form.get('redirect_uri') || grant.clientId !== clientId) {
      return json(400, { error: 'invalid_grant', error_description: 'redirect or client mismatch' });
    }
    const verifier = form.get('code_verifier') || '';
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
    if (challenge !== grant.challenge) {
      return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const knobs = this.tokenKnobs();
    const claims = { sub: this.user.sub, email: this.user.email, email_verified: true };
    if (grant.nonce) claims.nonce = grant.nonce;
    const idToken = await this.mint(claims, { aud: knobs.aud || clientId, expOffset: knobs.expOffset });
    return json(200, {
      access_token: crypto.randomBytes(16).toString('hex'),
      token_type: 'bearer',
      expires_in: 600,
      id_token: idToken,
    });
  }
}

module.exports = { OidcProvider };
