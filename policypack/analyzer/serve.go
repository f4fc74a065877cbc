package analyzer

import (
	"fmt"
	"io"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// EngineAddress picks the engine's address out of the arguments Pulumi gives a plugin:
// optional flags (--logtostderr, -v=N, --tracing ENDPOINT, ...) then the engine address.
func EngineAddress(args []string) string {
	addr := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--tracing" || a == "-tracing":
			i++ // its value follows
		case strings.HasPrefix(a, "-"):
		default:
			addr = a
		}
	}
	return addr
}

// Serve listens on a loopback port, prints the port on stdout as every Pulumi plugin does and
// serves until the server stops or cancel is closed.
func Serve(s *Server, stdout io.Writer, cancel chan bool) error {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterAnalyzerServer(srv, s)
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("starting the analyzer server: %w", err)
	}
	if _, err := fmt.Fprintf(stdout, "%d\n", handle.Port); err != nil {
		return fmt.Errorf("printing the port: %w", err)
	}
	if err := <-handle.Done; err != nil {
		return fmt.Errorf("analyzer server: %w", err)
	}
	return nil
}
