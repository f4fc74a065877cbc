package analyzer

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

// fakeEngine records the log messages the pack sends.
type fakeEngine struct {
	pulumirpc.UnimplementedEngineServer
	mu   sync.Mutex
	logs []*pulumirpc.LogRequest
}

func (e *fakeEngine) Log(_ context.Context, req *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.logs = append(e.logs, req)
	return &emptypb.Empty{}, nil
}

func startEngine(t *testing.T) (*fakeEngine, string) {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer()
	eng := &fakeEngine{}
	pulumirpc.RegisterEngineServer(srv, eng)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return eng, lis.Addr().String()
}

func TestExpiredSuppressionsAreReportedToTheEngineOnce(t *testing.T) {
	sup, err := suppressions.Parse([]byte(`suppressions:
  - {policy: sns-topic-encrypted-with-cmk, urn: "urn:pulumi:prod::carepulse::*", reason: old, owner: former@carepulse.example, expires: 2026-01-31}
`), "t.yaml")
	require.NoError(t, err)
	eng, addr := startEngine(t)
	s := newServer(t, sup)
	defer s.Close()
	_, err = s.Handshake(context.Background(), &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: addr})
	require.NoError(t, err)

	resp := analyze(t, s, topicType, resource.PropertyMap{})
	require.Len(t, resp.Diagnostics, 1)
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, resp.Diagnostics[0].EnforcementLevel, "an expired entry suppresses nothing")
	analyze(t, s, topicType, resource.PropertyMap{})

	eng.mu.Lock()
	defer eng.mu.Unlock()
	require.Len(t, eng.logs, 1, "reported once, not per resource")
	assert.Equal(t, pulumirpc.LogSeverity_WARNING, eng.logs[0].Severity)
	assert.Equal(t, "hipaa-security-rule: suppression of sns-topic-encrypted-with-cmk for urn:pulumi:prod::carepulse::* expired on 2026-01-31 (owner former@carepulse.example); its findings are reported again", eng.logs[0].Message)
}
