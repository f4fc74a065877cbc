// Package e2e holds the services' end-to-end test (build tag "integration"): the simulator's
// stream through the processor into real PostgreSQL and Redis, read back through the read API.
package e2e
