// Package mocktest runs the Pulumi program (or a single component) under pulumi.WithMocks and
// records every resource it registers, so tests can assert exact input values.
//
// # Running
//
//	rec, err := mocktest.RunStack(program.Run, "prod")   // Pulumi.prod.yaml config, project from Pulumi.yaml
//	rec, err := mocktest.Run(body, mocktest.Options{Stack: "dev", Config: cfg}) // any body, any config
//
// RunStack finds the infrastructure directory (the nearest parent holding Pulumi.yaml), reads the
// project name from Pulumi.yaml and the stack's config from Pulumi.<stack>.yaml, and passes the
// config to the program exactly as the engine would (scalars as text, lists/objects as JSON).
// StackConfig returns that map so a test can change one key and call Run.
//
// # Mock behaviour
//
// Mocks.NewResource records the type token, logical name, inputs, parent URN, provider, custom
// flag, dependencies and property dependencies, and returns the inputs plus plausible computed outputs: an ID, an ARN built from
// the configured account and region (arn:aws:<service>:<region>:<account>:<kind>/<name>; S3
// buckets arn:aws:s3:::<bucket>; log groups arn:aws:logs:...:log-group:<name>), "name" when the
// input did not set one, and a few type-specific outputs (KMS keyId, VPC default IDs, ECR
// repositoryUrl and registryId). Mocks.Call
// answers aws:index/getCallerIdentity, getRegion and getPartition and fails every other invoke,
// so a test notices an unexpected lookup (the program is meant to make none).
//
// # Querying
//
// Recorded holds the resources sorted by URN (registration is concurrent, so arrival order is
// not stable; within a type, resources therefore come in logical-name order): OfType(token), Named(name), One(type,
// name), Find(func), Children(urn), Counts() (type -> count). Resource exposes Inputs (a
// resource.PropertyMap) and helpers reading dotted paths: Str("tags.Name"), Bool, Num, Strs,
// Has, Value. Policy JSON documents given as strings are decoded by JSON(path).
package mocktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"
)

// Defaults used when Options leave them empty.
const (
	DefaultProject = "hipaa-pipeline"
	DefaultAccount = "111122223333"
	DefaultRegion  = "eu-west-1"
)

// Resource is one registered resource (custom or component).
type Resource struct {
	Type     string
	Name     string
	URN      string
	Parent   string // parent URN ("" for resources under the stack)
	Provider string
	Custom   bool
	ID       string
	Inputs   resource.PropertyMap
	Outputs  resource.PropertyMap
	// Dependencies are the URNs the resource depends on; PropertyDependencies the URNs each
	// input property depends on (as the engine passes them to an analyzer).
	Dependencies         []string
	PropertyDependencies map[string][]string
}

// Mocks is a recording pulumi.MockResourceMonitor.
type Mocks struct {
	Project, Stack, Account, Region string

	mu        sync.Mutex
	resources []Resource
	calls     []string
}

// NewMocks returns a recorder for a project and stack; account and region shape ARNs.
func NewMocks(project, stack, account, region string) *Mocks {
	return &Mocks{Project: project, Stack: stack, Account: account, Region: region}
}

// NewResource implements pulumi.MockResourceMonitor.
func (m *Mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	parent := ""
	var deps []string
	propDeps := map[string][]string{}
	if rpc := args.RegisterRPC; rpc != nil {
		parent = rpc.GetParent()
		deps = append(deps, rpc.GetDependencies()...)
		for k, v := range rpc.GetPropertyDependencies() {
			if urns := v.GetUrns(); len(urns) > 0 {
				propDeps[k] = append([]string(nil), urns...)
			}
		}
	}
	urn := m.urn(parent, args.TypeToken, args.Name)
	id := ""
	outs := resource.PropertyMap{}
	if args.Custom {
		id, outs = m.outputs(args.TypeToken, args.Name, args.Inputs)
	}
	if parent != "" && resource.URN(parent).QualifiedType() == resource.RootStackType {
		parent = ""
	}
	m.mu.Lock()
	m.resources = append(m.resources, Resource{
		Type: args.TypeToken, Name: args.Name, URN: urn, Parent: parent, Provider: args.Provider,
		Custom: args.Custom, ID: id, Inputs: args.Inputs, Outputs: outs,
		Dependencies: deps, PropertyDependencies: propDeps,
	})
	m.mu.Unlock()
	return id, outs, nil
}

// Call implements pulumi.MockResourceMonitor: it answers the account-independent lookups and
// fails any other invoke.
func (m *Mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.calls = append(m.calls, args.Token)
	m.mu.Unlock()
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": m.Account, "arn": "arn:aws:iam::" + m.Account + ":user/mock",
			"userId": "AIDAMOCK", "id": m.Account,
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": m.Region, "region": m.Region, "id": m.Region}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}), nil
	}
	return nil, fmt.Errorf("mocktest: unexpected invoke %s (the program should take such values from config)", args.Token)
}

// Calls returns the invoke tokens the program called, in order.
func (m *Mocks) Calls() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.calls...)
}

// Recorded returns what was registered so far.
func (m *Mocks) Recorded() *Recorded {
	m.mu.Lock()
	defer m.mu.Unlock()
	rs := append([]Resource(nil), m.resources...)
	// Registration runs concurrently, so arrival order is not stable: sort by URN.
	sort.Slice(rs, func(i, j int) bool { return rs[i].URN < rs[j].URN })
	return &Recorded{Resources: rs}
}

func (m *Mocks) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(m.Stack), tokens.PackageName(m.Project), parentType, tokens.Type(typ), name))
}

// outputs returns the mock ID and state of a custom resource: its inputs plus computed values.
func (m *Mocks) outputs(typ, name string, in resource.PropertyMap) (string, resource.PropertyMap) {
	out := in.Copy()
	h := fnv.New32a()
	_, _ = h.Write([]byte(typ + "/" + name))
	suffix := fmt.Sprintf("%08x", h.Sum32())
	service, kind := serviceOf(typ)
	id := kind + "-" + suffix

	physical := name
	for _, k := range []string{"name", "bucket", "streamName", "clusterIdentifier", "replicationGroupId", "functionName"} {
		if v, ok := in[resource.PropertyKey(k)]; ok && v.IsString() && v.StringValue() != "" {
			physical = v.StringValue()
			break
		}
	}
	if _, ok := out["name"]; !ok {
		out["name"] = resource.NewProperty(physical)
	}
	arn := fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", service, m.Region, m.Account, kind, physical)

	switch typ {
	case "aws:kms/key:Key":
		id = "mock-key-" + suffix
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", m.Region, m.Account, id)
		out["keyId"] = resource.NewProperty(id)
	case "aws:kms/alias:Alias":
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:%s", m.Region, m.Account, physical)
		id = physical
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		id = physical
		arn = "arn:aws:s3:::" + physical
		out["bucket"] = resource.NewProperty(physical)
		out["bucketDomainName"] = resource.NewProperty(physical + ".s3.amazonaws.com")
	case "aws:cloudwatch/logGroup:LogGroup":
		id = physical
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", m.Region, m.Account, physical)
	case "aws:iam/role:Role", "aws:iam/policy:Policy":
		id = physical
		arn = fmt.Sprintf("arn:aws:iam::%s:%s/%s", m.Account, kind, physical)
	case "aws:sns/topic:Topic":
		id = fmt.Sprintf("arn:aws:sns:%s:%s:%s", m.Region, m.Account, physical)
		arn = id
	case "aws:ec2/vpc:Vpc":
		id = "vpc-" + suffix
		out["defaultSecurityGroupId"] = resource.NewProperty("sg-default-" + suffix)
		out["defaultRouteTableId"] = resource.NewProperty("rtb-default-" + suffix)
		out["defaultNetworkAclId"] = resource.NewProperty("acl-default-" + suffix)
		out["mainRouteTableId"] = resource.NewProperty("rtb-main-" + suffix)
	case "aws:cloudtrail/trail:Trail":
		arn = fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", m.Region, m.Account, physical)
	// Data plane (added by infra-dataplane): outputs AWS computes that the data plane reads.
	case "aws:rds/cluster:Cluster":
		id = physical
		arn = fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", m.Region, m.Account, physical)
		out["clusterResourceId"] = resource.NewProperty("cluster-" + strings.ToUpper(suffix))
		out["endpoint"] = resource.NewProperty(physical + ".cluster-mock." + m.Region + ".rds.amazonaws.com")
		out["readerEndpoint"] = resource.NewProperty(physical + ".cluster-ro-mock." + m.Region + ".rds.amazonaws.com")
		if v, ok := in["manageMasterUserPassword"]; ok && v.IsBool() && v.BoolValue() {
			out["masterUserSecrets"] = resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
				"secretArn":    resource.NewProperty(fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s-AbCdEf", m.Region, m.Account, suffix)),
				"kmsKeyId":     in["masterUserSecretKmsKeyId"],
				"secretStatus": resource.NewProperty("active"),
			})})
		}
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		out["primaryEndpointAddress"] = resource.NewProperty("master." + physical + ".mock.euw1.cache.amazonaws.com")
	case "aws:lambda/function:Function":
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", m.Region, m.Account, physical)
		out["invokeArn"] = resource.NewProperty(fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", m.Region, arn))
	case "aws:apigateway/restApi:RestApi":
		id = "api" + suffix
		arn = fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s", m.Region, id)
		out["rootResourceId"] = resource.NewProperty("root" + suffix)
		out["executionArn"] = resource.NewProperty(fmt.Sprintf("arn:aws:execute-api:%s:%s:%s", m.Region, m.Account, id))
	case "aws:apigateway/stage:Stage":
		if api, stage := in["restApi"], in["stageName"]; api.IsString() && stage.IsString() {
			arn = fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s/stages/%s", m.Region, api.StringValue(), stage.StringValue())
			out["invokeUrl"] = resource.NewProperty(fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", api.StringValue(), m.Region, stage.StringValue()))
		}
	case "aws:lb/loadBalancer:LoadBalancer":
		out["dnsName"] = resource.NewProperty(physical + "-" + suffix + ".elb." + m.Region + ".amazonaws.com")
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		out["prefixListId"] = resource.NewProperty("pl-" + suffix)
	case "aws:ecr/repository:Repository":
		id = physical
		arn = fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", m.Region, m.Account, physical)
		out["registryId"] = resource.NewProperty(m.Account)
		out["repositoryUrl"] = resource.NewProperty(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", m.Account, m.Region, physical))
	}
	if _, ok := out["arn"]; !ok {
		out["arn"] = resource.NewProperty(arn)
	}
	out["id"] = resource.NewProperty(id)
	return id, out
}

// serviceOf maps "aws:ec2/subnet:Subnet" to ("ec2", "subnet").
func serviceOf(typ string) (string, string) {
	parts := strings.SplitN(typ, ":", 3)
	if len(parts) != 3 {
		return "mock", "resource"
	}
	mod := parts[1]
	if i := strings.Index(mod, "/"); i >= 0 {
		mod = mod[:i]
	}
	return mod, strings.ToLower(parts[2])
}

// Options tell Run how to run a program.
type Options struct {
	Project string            // default DefaultProject
	Stack   string            // required
	Config  map[string]string // fully qualified keys ("ns:key") to raw values
	Account string            // default: config "<project>:accountId", else DefaultAccount
	Region  string            // default: config "aws:region", else DefaultRegion
	DryRun  bool              // run as a preview
}

// Run runs body under mocks and returns what it registered. The error is the program's error.
func Run(body pulumi.RunFunc, o Options) (*Recorded, error) {
	if o.Project == "" {
		o.Project = DefaultProject
	}
	if o.Stack == "" {
		return nil, errors.New("mocktest: a stack name is required")
	}
	if o.Account == "" {
		o.Account = o.Config[o.Project+":accountId"]
		if o.Account == "" {
			o.Account = DefaultAccount
		}
	}
	if o.Region == "" {
		o.Region = o.Config["aws:region"]
		if o.Region == "" {
			o.Region = DefaultRegion
		}
	}
	mocks := NewMocks(o.Project, o.Stack, o.Account, o.Region)
	cfg := o.Config
	err := pulumi.RunErr(body, pulumi.WithMocks(o.Project, o.Stack, mocks), func(info *pulumi.RunInfo) {
		info.Config = cfg
		info.DryRun = o.DryRun
	})
	rec := mocks.Recorded()
	rec.Calls = mocks.Calls()
	return rec, err
}

// RunStack runs body with the config of Pulumi.<stack>.yaml (project name from Pulumi.yaml).
func RunStack(body pulumi.RunFunc, stack string) (*Recorded, error) {
	dir, err := InfrastructureDir()
	if err != nil {
		return nil, err
	}
	project, cfg, err := StackConfig(dir, stack)
	if err != nil {
		return nil, err
	}
	return Run(body, Options{Project: project, Stack: stack, Config: cfg})
}

// InfrastructureDir returns the nearest directory, from the working directory up, that holds
// Pulumi.yaml.
func InfrastructureDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("mocktest: working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("mocktest: no Pulumi.yaml in the working directory or its parents")
		}
		dir = up
	}
}

// StackConfig reads the project name from dir/Pulumi.yaml and the config of dir/Pulumi.<stack>.yaml
// as the engine passes it to the program: keys fully qualified (a key without a namespace gets
// the project's), scalars as their text, lists and objects as JSON. Secure values are refused.
func StackConfig(dir, stack string) (string, map[string]string, error) {
	var proj struct {
		Name string `yaml:"name"`
	}
	if err := readYAML(filepath.Join(dir, "Pulumi.yaml"), &proj); err != nil {
		return "", nil, err
	}
	if proj.Name == "" {
		return "", nil, fmt.Errorf("mocktest: %s: no project name", filepath.Join(dir, "Pulumi.yaml"))
	}
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	var st struct {
		Config map[string]yaml.Node `yaml:"config"`
	}
	if err := readYAML(path, &st); err != nil {
		return "", nil, err
	}
	cfg := make(map[string]string, len(st.Config))
	for k, node := range st.Config {
		key := k
		if !strings.Contains(k, ":") {
			key = proj.Name + ":" + k
		}
		v, err := nodeValue(&node)
		if err != nil {
			return "", nil, fmt.Errorf("mocktest: %s: config %s: %w", path, k, err)
		}
		cfg[key] = v
	}
	return proj.Name, cfg, nil
}

func readYAML(path string, into any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("mocktest: %w", err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		return fmt.Errorf("mocktest: %s: %w", path, err)
	}
	return nil
}

func nodeValue(n *yaml.Node) (string, error) {
	if n.Kind == yaml.ScalarNode {
		return n.Value, nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return "", err
	}
	if m, ok := v.(map[string]any); ok {
		if _, secure := m["secure"]; secure {
			return "", errors.New("secure values are not supported in committed stack files")
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Recorded is what a run registered, sorted by URN.
type Recorded struct {
	Resources []Resource
	// Calls are the invoke tokens the program called.
	Calls []string
}

// OfType returns the resources of a type token, in logical-name order.
func (r *Recorded) OfType(typ string) []Resource {
	return r.Find(func(x Resource) bool { return x.Type == typ })
}

// Named returns the resources with a logical name (any type).
func (r *Recorded) Named(name string) []Resource {
	return r.Find(func(x Resource) bool { return x.Name == name })
}

// One returns the resource of a type and logical name.
func (r *Recorded) One(typ, name string) (Resource, bool) {
	for _, x := range r.Resources {
		if x.Type == typ && x.Name == name {
			return x, true
		}
	}
	return Resource{}, false
}

// Find returns the resources for which keep is true.
func (r *Recorded) Find(keep func(Resource) bool) []Resource {
	var out []Resource
	for _, x := range r.Resources {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// Children returns the resources whose parent is urn.
func (r *Recorded) Children(urn string) []Resource {
	return r.Find(func(x Resource) bool { return x.Parent == urn })
}

// Counts returns the number of resources per type token.
func (r *Recorded) Counts() map[string]int {
	out := map[string]int{}
	for _, x := range r.Resources {
		out[x.Type]++
	}
	return out
}

// Summary is a sorted "count type" listing, one line per type, for printing.
func (r *Recorded) Summary() string {
	counts := r.Counts()
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	var b strings.Builder
	for _, t := range types {
		fmt.Fprintf(&b, "%4d  %s\n", counts[t], t)
	}
	fmt.Fprintf(&b, "%4d  total\n", len(r.Resources))
	return b.String()
}

// Value returns the input at a dotted path ("tags.Name", "serverlessv2ScalingConfiguration.minCapacity",
// "ingress.0.fromPort"); secrets are unwrapped. ok is false when any step is missing.
func (x Resource) Value(path string) (resource.PropertyValue, bool) {
	v := resource.NewProperty(x.Inputs)
	for _, step := range strings.Split(path, ".") {
		for v.IsSecret() {
			v = v.SecretValue().Element
		}
		switch {
		case v.IsObject():
			next, ok := v.ObjectValue()[resource.PropertyKey(step)]
			if !ok {
				return resource.PropertyValue{}, false
			}
			v = next
		case v.IsArray():
			var i int
			if _, err := fmt.Sscanf(step, "%d", &i); err != nil || i < 0 || i >= len(v.ArrayValue()) {
				return resource.PropertyValue{}, false
			}
			v = v.ArrayValue()[i]
		default:
			return resource.PropertyValue{}, false
		}
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if v.IsNull() {
		return v, false
	}
	return v, true
}

// Has reports whether the input at path is set (not null).
func (x Resource) Has(path string) bool { _, ok := x.Value(path); return ok }

// Str returns the string input at path ("" when missing or not a string).
func (x Resource) Str(path string) string {
	if v, ok := x.Value(path); ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

// Bool returns the bool input at path; ok is false when missing or not a bool.
func (x Resource) Bool(path string) (value, ok bool) {
	if v, found := x.Value(path); found && v.IsBool() {
		return v.BoolValue(), true
	}
	return false, false
}

// Num returns the number input at path; ok is false when missing or not a number.
func (x Resource) Num(path string) (float64, bool) {
	if v, found := x.Value(path); found && v.IsNumber() {
		return v.NumberValue(), true
	}
	return 0, false
}

// Strs returns the string elements of the array input at path.
func (x Resource) Strs(path string) []string {
	v, ok := x.Value(path)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		for e.IsSecret() {
			e = e.SecretValue().Element
		}
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// JSON decodes a string input at path holding JSON (a policy document) into a generic value.
func (x Resource) JSON(path string) (map[string]any, error) {
	s := x.Str(path)
	if s == "" {
		return nil, fmt.Errorf("%s %s: no JSON string at %s", x.Type, x.Name, path)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("%s %s: %s: %w", x.Type, x.Name, path, err)
	}
	return out, nil
}
