// Package standin is a STAND-IN for the Pulumi AWS provider, used only for offline runs of the real
// Pulumi engine (`make audit`, the end-to-end tests). It is NOT AWS and contacts nothing: it
// implements the resource provider gRPC interface the engine talks to, accepts every resource
// like a cloud that says yes to everything, and computes plausible ids, ARNs and outputs so the
// program and the policy pack see the shapes they would see with AWS.
//
// It reports the version of the pulumi-aws SDK the program uses, so the engine loads it where it
// would load the real provider; the program cannot tell the difference, which is the point: the
// policy pack is judged on exactly the inputs the real provider would receive.
package standin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"

	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Version is the pulumi-aws version this stand-in answers for (the SDK pinned in go.mod files).
const Version = "6.83.4"

// Name is the package name the engine asks for.
const Name = "aws"

// Defaults used when the stack config does not set them. The account is AWS's documentation
// example account, so an ARN in a report can never be mistaken for a real one.
const (
	DefaultRegion = "eu-west-1"
	Account       = "111122223333"
)

// Provider implements pulumirpc.ResourceProviderServer.
type Provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	mu          sync.Mutex
	region      string
	defaultTags resource.PropertyMap
}

// New returns a stand-in provider configured with the default region.
func New() *Provider {
	return &Provider{region: DefaultRegion}
}

var (
	unmarshalOpts = plugin.MarshalOptions{
		Label: "standin", KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true,
	}
	marshalOpts = plugin.MarshalOptions{
		Label: "standin", KeepUnknowns: true, KeepSecrets: true, KeepResources: true,
	}
)

func unmarshal(s *structpb.Struct, what string) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	m, err := plugin.UnmarshalProperties(s, unmarshalOpts)
	if err != nil {
		return nil, fmt.Errorf("stand-in aws provider: decoding %s: %w", what, err)
	}
	return m, nil
}

func marshal(m resource.PropertyMap, what string) (*structpb.Struct, error) {
	s, err := plugin.MarshalProperties(m, marshalOpts)
	if err != nil {
		return nil, fmt.Errorf("stand-in aws provider: encoding %s: %w", what, err)
	}
	return s, nil
}

// Handshake accepts the engine's connection.
func (p *Provider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// GetPluginInfo reports the pulumi-aws version.
func (p *Provider) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// GetSchema returns a minimal schema: a Go program does not need one (the SDK is generated
// already); tools that do need the full schema must use the real provider.
func (p *Provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	schema, err := json.Marshal(map[string]any{
		"name":        Name,
		"version":     Version,
		"description": "Stand-in for the AWS provider (offline runs only; not AWS). Schema intentionally empty.",
	})
	if err != nil {
		return nil, fmt.Errorf("encoding schema: %w", err)
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(schema)}, nil
}

// CheckConfig accepts the provider configuration as given.
func (p *Provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig reports a change when the provider configuration changed, never a replacement.
func (p *Provider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return diff(req)
}

// Configure records the region and the default tags (from the typed arguments the engine sends).
func (p *Provider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	region, tags := DefaultRegion, resource.PropertyMap{}
	if req.GetArgs() != nil {
		args, err := unmarshal(req.GetArgs(), "provider configuration")
		if err != nil {
			return nil, err
		}
		if v := args["region"]; v.IsString() && v.StringValue() != "" {
			region = v.StringValue()
		}
		if dt := unwrap(args["defaultTags"]); dt.IsObject() {
			if t := unwrap(dt.ObjectValue()["tags"]); t.IsObject() {
				tags = t.ObjectValue()
			}
		}
	}
	p.mu.Lock()
	p.region, p.defaultTags = region, tags
	p.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

// Check returns the inputs unchanged: the stand-in validates nothing, like a permissive cloud.
func (p *Provider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// Diff compares the old inputs with the new ones. Changes are updates in place, never replacements.
func (p *Provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return diff(req)
}

func diff(req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds := req.GetOldInputs()
	if olds == nil {
		olds = req.GetOlds()
	}
	oldMap, err := unmarshal(olds, "old inputs")
	if err != nil {
		return nil, err
	}
	newMap, err := unmarshal(req.GetNews(), "new inputs")
	if err != nil {
		return nil, err
	}
	d := oldMap.Diff(newMap, func(k resource.PropertyKey) bool {
		return slices.Contains(req.GetIgnoreChanges(), string(k))
	})
	if d == nil || !d.AnyChanges() {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	var keys []string
	for _, k := range d.ChangedKeys() {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: keys}, nil
}

// Create "creates" the resource: the outputs are the inputs plus the computed attributes. During
// preview the computed attributes are unknown, as they would be with AWS.
func (p *Provider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs, err := unmarshal(req.GetProperties(), "inputs of "+req.GetUrn())
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	env := cloud{region: p.region, defaultTags: p.defaultTags}
	p.mu.Unlock()
	id, outs := env.create(resource.URN(req.GetUrn()), inputs, req.GetPreview())
	s, err := marshal(outs, "outputs of "+req.GetUrn())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: s}, nil
}

// Read returns the recorded state unchanged: nothing drifts in the stand-in cloud.
func (p *Provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Update applies the new inputs, keeping the computed attributes of the existing resource.
func (p *Provider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	olds, err := unmarshal(req.GetOlds(), "old outputs of "+req.GetUrn())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews(), "new inputs of "+req.GetUrn())
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	env := cloud{region: p.region, defaultTags: p.defaultTags}
	p.mu.Unlock()
	_, computed := env.create(resource.URN(req.GetUrn()), news, req.GetPreview())
	for k, v := range olds {
		if _, isInput := news[k]; !isInput && computed.HasValue(k) {
			computed[k] = v
		}
	}
	s, err := marshal(computed, "outputs of "+req.GetUrn())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: s}, nil
}

// Delete always succeeds.
func (p *Provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// Cancel is a no-op: nothing long-running happens here.
func (p *Provider) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// Invoke answers the data sources the infrastructure program uses.
func (p *Provider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := unmarshal(req.GetArgs(), "arguments of "+req.GetTok())
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	env := cloud{region: p.region, defaultTags: p.defaultTags}
	p.mu.Unlock()
	ret, err := env.invoke(req.GetTok(), args)
	if err != nil {
		return nil, err
	}
	s, err := marshal(ret, "result of "+req.GetTok())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: s}, nil
}

// unwrap returns the value inside a secret or output value (the stand-in may read secrets: it
// never prints or stores them anywhere but in the engine's own state).
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for {
		switch {
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			v = v.OutputValue().Element
		default:
			return v
		}
	}
}
