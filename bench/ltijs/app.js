// The ltijs peer of the launch benchmark (bench/, -Dbench.peer=ltijs): an LTI 1.3 tool written the way
// ltijs's own README shows, on PostgreSQL through ltijs-sequelize, publishing one resource whose launch
// answers a content page, as LTI Publisher's sample activity does. Started by LtijsPeer with these variables:
//   PORT, PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, LTI_KEY (cookie and ltik signing secret),
//   PLATFORM_URL (issuer), PLATFORM_CLIENT_ID, PLATFORM_AUTH_URL, PLATFORM_TOKEN_URL, PLATFORM_JWKS_URL.
const lti = require('ltijs').Provider
const Database = require('ltijs-sequelize')

const env = (name) => {
  if (!process.env[name]) throw new Error('missing environment variable ' + name)
  return process.env[name]
}

const db = new Database(env('PGDATABASE'), env('PGUSER'), env('PGPASSWORD'), {
  host: env('PGHOST'),
  port: Number(env('PGPORT')),
  dialect: 'postgres',
  logging: false
})

// devMode stays off: state and session cookies are required, as in production. Plain http on loopback,
// so the cookies cannot be Secure (and SameSite=None requires Secure).
lti.setup(env('LTI_KEY'), { plugin: db }, {
  cookies: { secure: false, sameSite: '' },
  devMode: false
})

const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';')

// The content page: who launched, from which course and link (what the sample activity shows).
lti.onConnect(async (token, req, res) => {
  const context = res.locals.context || {}
  const user = token.userInfo || {}
  return res.send('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Benchmark activity</title></head>' +
    '<body><main><h1>Benchmark activity</h1>' +
    '<p>Signed in as ' + escape(user.name) + ' (' + escape(user.email) + ')</p>' +
    '<p>Course: ' + escape(context.context && context.context.title) + '</p>' +
    '<p>Link: ' + escape(context.resource && context.resource.title) + '</p>' +
    '</main></body></html>')
})

let ready = false
lti.whitelist('/ready')
lti.app.get('/ready', (req, res) => res.status(ready ? 200 : 503).send(ready ? 'ready' : 'starting'))

const main = async () => {
  await lti.deploy({ port: Number(env('PORT')), silent: true })
  // the platform registration through ltijs's own API (idempotent: an existing one is returned)
  await lti.registerPlatform({
    url: env('PLATFORM_URL'),
    name: 'Simulated platform',
    clientId: env('PLATFORM_CLIENT_ID'),
    authenticationEndpoint: env('PLATFORM_AUTH_URL'),
    accesstokenEndpoint: env('PLATFORM_TOKEN_URL'),
    authConfig: { method: 'JWK_SET', key: env('PLATFORM_JWKS_URL') }
  })
  ready = true
  console.log('ltijs ready on port ' + env('PORT'))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
