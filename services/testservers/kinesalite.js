// Starts kinesalite, an in-memory Kinesis-compatible server, on 127.0.0.1 only (its own CLI
// listens on every interface), for the services' integration tests (scripts/testdb.sh).
//
//   node kinesalite.js <port> [<pidfile>]
//
// The pidfile, when named, is written once the server listens (so its presence means ready).
// Streams are ACTIVE at once (no CREATING/UPDATING/DELETING delay) and the account's shard
// limit is raised so that test packages running in parallel do not run into it. Data lives in
// memory only and is gone when the process ends.
'use strict'

const fs = require('fs')
const kinesalite = require('kinesalite')

const port = Number(process.argv[2])
const pidfile = process.argv[3]
if (!Number.isInteger(port) || port < 1 || port > 65535 || process.argv.length > 4) {
  console.error('usage: node kinesalite.js <port> [<pidfile>]')
  process.exit(2)
}

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 })
server.on('error', (err) => {
  console.error('kinesalite: ' + err.message)
  process.exit(1)
})
server.listen(port, '127.0.0.1', () => {
  if (pidfile) fs.writeFileSync(pidfile, process.pid + '\n', { mode: 0o600 })
  console.log('kinesalite listening on 127.0.0.1:' + port)
})
// kinesalite throws from a request's 'error' event when a client closes its connection before
// the answer (a Go client whose context is cancelled does): the client gave up on that request
// (what it did stands, as on Kinesis), and the server must stay up for the others. Any other
// uncaught error still stops the server.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    console.error('kinesalite: a client closed its connection before the answer')
    return
  }
  console.error(err && err.stack ? err.stack : err)
  process.exit(1)
})
// Nothing to flush: the data is in memory only.
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0))
