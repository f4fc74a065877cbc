package analyzer

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// engineLog sends messages to the Pulumi engine's log service (shown to the user by the CLI).
// Without an engine (tests, a bad address) messages go to stderr.
type engineLog struct {
	addr string

	once   sync.Once
	conn   *grpc.ClientConn
	client pulumirpc.EngineClient
}

func newEngineLog(addr string) *engineLog { return &engineLog{addr: addr} }

func (e *engineLog) warn(msg string) {
	if e == nil {
		fmt.Fprintln(os.Stderr, msg)
		return
	}
	e.once.Do(func() {
		conn, err := grpc.NewClient(e.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			return
		}
		e.conn, e.client = conn, pulumirpc.NewEngineClient(conn)
	})
	if e.client == nil {
		fmt.Fprintln(os.Stderr, msg)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := e.client.Log(ctx, &pulumirpc.LogRequest{Severity: pulumirpc.LogSeverity_WARNING, Message: msg}); err != nil {
		fmt.Fprintln(os.Stderr, msg)
	}
}

func (e *engineLog) close() {
	if e != nil && e.conn != nil {
		_ = e.conn.Close()
	}
}
