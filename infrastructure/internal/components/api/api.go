// Package api holds the public entry point of the pipeline: a regional API Gateway REST API whose
// every method is authorized by a Lambda (TOKEN) authorizer, with
//
//   - POST /observations integrated directly with Kinesis PutRecord through a role that may put
//     records into this stream only;
//   - GET /patients/{patientId}/vitals/latest and .../history sent through a VPC link to an
//     internal NLB (TLS listener, TLS to the targets) in front of the read-API ECS service;
//
// a stage with JSON access logs to a KMS-encrypted log group, execution logging without data
// trace, X-Ray tracing and throttling; a request validator; a WAFv2 web ACL (AWS managed rule
// groups including known bad inputs, rate limiting) with logging, associated with the stage;
// and, when a custom domain is configured, a TLS_1_2 domain name.
package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/iampolicy"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("api", "Api")

// Fixed choices.
const (
	EndpointType       = "REGIONAL"
	AuthorizationType  = "CUSTOM"
	AuthorizerType     = "TOKEN"
	DomainTLSPolicy    = "TLS_1_2"
	CloudWatchRoleARN  = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
	ObservationModel   = "Observation"
	IntegrationTimeout = 10000
)

// AccessLogFormat is the stage's JSON access log line. It logs the resource template (never the
// concrete path, which carries the patient ID), the caller's IP, the authorizer's principal and
// errors, and the WAF verdict; no body, header or query string.
var AccessLogFormat = `{"requestId":"$context.requestId","extendedRequestId":"$context.extendedRequestId","requestTime":"$context.requestTimeEpoch",` +
	`"ip":"$context.identity.sourceIp","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath",` +
	`"status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength",` +
	`"latencyMs":"$context.responseLatency","integrationStatus":"$context.integration.status",` +
	`"principalId":"$context.authorizer.principalId","authorizerError":"$context.authorizer.error",` +
	`"wafStatus":"$context.waf.status","xrayTraceId":"$context.xrayTraceId"}`

// ObservationSchema is the JSON schema the request validator enforces on POST /observations. It
// mirrors the record format of services/observation (see services/README.md): every field
// required, no other field, identifiers as opaque tokens (never names or free text). The
// processor stays the authority on the code table, units, plausible ranges and clock skew; the
// gateway rejects malformed shapes before they reach the stream.
const ObservationSchema = `{"$schema":"http://json-schema.org/draft-04/schema#","title":"Observation","type":"object",` +
	`"required":["deviceId","patientId","facilityId","code","value","unit","observedAt"],"additionalProperties":false,` +
	`"properties":{` +
	`"deviceId":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"},` +
	`"patientId":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"},` +
	`"facilityId":{"type":"string","pattern":"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"},` +
	`"code":{"type":"string","pattern":"^[0-9]{1,7}-[0-9]$"},` +
	`"value":{"type":"number"},` +
	`"unit":{"type":"string","minLength":1,"maxLength":32},` +
	`"observedAt":{"type":"string","format":"date-time","maxLength":40}}}`

// Args configures the API.
type Args struct {
	Namer      naming.Namer
	Region     string
	AccountID  string
	Production bool

	VpcID            pulumi.StringInput
	VpcCidr          pulumi.StringInput
	PrivateSubnetIDs pulumi.StringArrayInput
	// ReadAPISecurityGroupID is the read-API tasks' group: the NLB may reach it on the target port.
	ReadAPISecurityGroupID pulumi.StringInput
	Logs                   logging.Settings

	StreamName      pulumi.StringInput
	StreamArn       pulumi.StringInput
	StreamKmsKeyArn pulumi.StringInput
	// LambdaKmsKeyArn encrypts the authorizer's environment (the secrets key); optional.
	LambdaKmsKeyArn pulumi.StringInput

	// AuthorizerZipPath is the built authorizer (bin/authorizer.zip, `make lambda`).
	AuthorizerZipPath string
	// ReadAPICertificateArn is the ACM certificate of the NLB's TLS listener.
	ReadAPICertificateArn string
	// ReadAPIPort is the read-API container's TLS port.
	ReadAPIPort int
	// ReadAPIHostname is the host of the private integration URI, the name the certificate
	// covers (API Gateway verifies it); empty: the NLB's DNS name.
	ReadAPIHostname string

	Config config.APIConfig
}

// API is the component.
type API struct {
	pulumi.ResourceState

	RestAPI      *apigateway.RestApi
	Authorizer   *apigateway.Authorizer
	Function     *lambda.Function
	Permission   *lambda.Permission
	Methods      map[string]*apigateway.Method
	Integrations map[string]*apigateway.Integration
	Validator    *apigateway.RequestValidator
	Deployment   *apigateway.Deployment
	Stage        *apigateway.Stage
	Settings     *apigateway.MethodSettings
	// Account is the account-level CloudWatch role setting; nil when another stack owns it
	// (apiGatewayAccountSettings external).
	Account *apigateway.Account
	// ClientCertificate is presented to the HTTP (read API) backends.
	ClientCertificate *apigateway.ClientCertificate
	AccessLogs        *cloudwatch.LogGroup
	KinesisRole       *iam.Role
	WebACL            *wafv2.WebAcl
	WafLogs           *cloudwatch.LogGroup
	Association       *wafv2.WebAclAssociation
	DomainName        *apigateway.DomainName
	LoadBalancer      *lb.LoadBalancer
	TargetGroup       *lb.TargetGroup
	Listener          *lb.Listener
	VpcLink           *apigateway.VpcLink

	// TargetGroupArn is the NLB target group, known only once its listener exists (so the ECS
	// service that registers in it is created after the listener).
	TargetGroupArn pulumi.StringOutput
	InvokeURL      pulumi.StringOutput
	StageArn       pulumi.StringOutput
}

func (a Args) check() error {
	var errs []error
	if a.VpcID == nil || a.VpcCidr == nil || a.PrivateSubnetIDs == nil || a.ReadAPISecurityGroupID == nil {
		errs = append(errs, errors.New("the VPC, its CIDR, the private subnets and the read-API security group are required"))
	}
	if a.StreamName == nil || a.StreamArn == nil || a.StreamKmsKeyArn == nil {
		errs = append(errs, errors.New("the stream name, ARN and key are required"))
	}
	if a.Region == "" || a.AccountID == "" {
		errs = append(errs, errors.New("the region and account ID are required"))
	}
	if a.AuthorizerZipPath == "" {
		errs = append(errs, errors.New("the authorizer zip path is required (build it with `make lambda`)"))
	}
	if a.ReadAPICertificateArn == "" || a.ReadAPIPort == 0 {
		errs = append(errs, errors.New("the read API's certificate ARN and port are required"))
	}
	return errors.Join(errs...)
}

// Route is one method of the API.
type Route struct {
	// Key is "<METHOD> <path>".
	Key string
	// Backend is "kinesis" or "read-api".
	Backend string
}

// IdentityHeaders maps the headers the read API reads the caller from (services/readapi) to the
// keys of the authorizer's context (services/cmd/authorizer).
var IdentityHeaders = map[string]string{
	"X-Authz-Facility-Id": "facilityId",
	"X-Authz-Role":        "role",
	"X-Authz-Scope":       "scope",
}

// Routes lists every method the API serves; there is no other (and no CORS OPTIONS method: the
// API is called by devices and services, not browsers).
var Routes = []Route{
	{Key: "POST /observations", Backend: "kinesis"},
	{Key: "GET /patients/{patientId}/vitals/latest", Backend: "read-api"},
	{Key: "GET /patients/{patientId}/vitals/history", Backend: "read-api"},
}

// New creates the API component.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*API, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("api: %w", err)
	}
	c := &API{Methods: map[string]*apigateway.Method{}, Integrations: map[string]*apigateway.Integration{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("api: register component: %w", err)
	}
	parent := pulumi.Parent(c)
	n := args.Namer
	cfg := args.Config

	if err := c.newBackend(ctx, name, args, parent); err != nil {
		return nil, err
	}

	rest, err := apigateway.NewRestApi(ctx, naming.Logical(name, "rest-api"), &apigateway.RestApiArgs{
		Name:                  pulumi.String(n.Physical("vitals", "api")),
		Description:           pulumi.String("Patient vitals ingest and read API"),
		EndpointConfiguration: &apigateway.RestApiEndpointConfigurationArgs{Types: pulumi.String(EndpointType)},
		// With a custom domain, clients must use it (and its TLS 1.2 policy).
		DisableExecuteApiEndpoint: pulumi.Bool(cfg.DomainName != ""),
		Tags:                      n.Tags("vitals", "api"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: rest api: %w", err)
	}
	c.RestAPI = rest

	if err := c.newAuthorizer(ctx, name, args, parent); err != nil {
		return nil, err
	}

	validator, err := apigateway.NewRequestValidator(ctx, naming.Logical(name, "validator"), &apigateway.RequestValidatorArgs{
		RestApi: rest.ID(), Name: pulumi.String("body-and-parameters"),
		ValidateRequestBody: pulumi.Bool(true), ValidateRequestParameters: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: request validator: %w", err)
	}
	c.Validator = validator
	model, err := apigateway.NewModel(ctx, naming.Logical(name, "observation-model"), &apigateway.ModelArgs{
		RestApi: rest.ID(), Name: pulumi.String(ObservationModel), ContentType: pulumi.String("application/json"),
		Description: pulumi.String("One device observation"), Schema: pulumi.String(ObservationSchema),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: observation model: %w", err)
	}

	deps, err := c.newRoutes(ctx, name, args, model, parent)
	if err != nil {
		return nil, err
	}

	if err := c.newStage(ctx, name, args, deps, parent); err != nil {
		return nil, err
	}
	if err := c.newWAF(ctx, name, args, parent); err != nil {
		return nil, err
	}
	if cfg.DomainName != "" {
		dn, err := apigateway.NewDomainName(ctx, naming.Logical(name, "domain"), &apigateway.DomainNameArgs{
			DomainName:             pulumi.String(cfg.DomainName),
			RegionalCertificateArn: pulumi.String(cfg.CertificateArn),
			EndpointConfiguration:  &apigateway.DomainNameEndpointConfigurationArgs{Types: pulumi.String(EndpointType)},
			SecurityPolicy:         pulumi.String(DomainTLSPolicy),
			Tags:                   n.Tags("api", "domain"),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("api: domain name: %w", err)
		}
		c.DomainName = dn
		if _, err := apigateway.NewBasePathMapping(ctx, naming.Logical(name, "domain-mapping"), &apigateway.BasePathMappingArgs{
			DomainName: dn.DomainName, RestApi: rest.ID(), StageName: c.Stage.StageName,
		}, parent); err != nil {
			return nil, fmt.Errorf("api: base path mapping: %w", err)
		}
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"restApiId": rest.ID(), "stageArn": c.Stage.Arn, "invokeUrl": c.Stage.InvokeUrl,
	}); err != nil {
		return nil, fmt.Errorf("api: register outputs: %w", err)
	}
	return c, nil
}

// newRoutes creates the resources, methods and integrations; it returns them for the deployment
// to depend on.
func (c *API) newRoutes(ctx *pulumi.Context, name string, args Args, model *apigateway.Model, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	rest := c.RestAPI
	var deps []pulumi.Resource
	resources := map[string]*apigateway.Resource{}
	var resourceFor func(path string) (pulumi.StringInput, error)
	resourceFor = func(path string) (pulumi.StringInput, error) {
		if path == "" || path == "/" {
			return rest.RootResourceId, nil
		}
		if r, ok := resources[path]; ok {
			return r.ID(), nil
		}
		i := strings.LastIndex(path, "/")
		parentID, err := resourceFor(path[:i])
		if err != nil {
			return nil, err
		}
		r, err := apigateway.NewResource(ctx, naming.Logical(name, "path", strings.NewReplacer("{", "", "}", "").Replace(path)), &apigateway.ResourceArgs{
			RestApi: rest.ID(), ParentId: parentID, PathPart: pulumi.String(path[i+1:]),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("api: resource %s: %w", path, err)
		}
		resources[path] = r
		deps = append(deps, r)
		return r.ID(), nil
	}

	kinesisRole, err := c.newKinesisRole(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}

	// The VPC link always connects to the NLB; the URI's host is what TLS verification checks.
	var host pulumi.StringInput = c.LoadBalancer.DnsName
	if args.ReadAPIHostname != "" {
		host = pulumi.String(args.ReadAPIHostname)
	}
	for _, route := range Routes {
		method, path, _ := strings.Cut(route.Key, " ")
		resID, err := resourceFor(path)
		if err != nil {
			return nil, err
		}
		logical := naming.Logical(name, strings.ToLower(method), strings.NewReplacer("{", "", "}", "").Replace(path))
		ma := &apigateway.MethodArgs{
			RestApi:            rest.ID(),
			ResourceId:         resID,
			HttpMethod:         pulumi.String(method),
			Authorization:      pulumi.String(AuthorizationType),
			AuthorizerId:       c.Authorizer.ID(),
			RequestValidatorId: c.Validator.ID(),
		}
		params := pathParameters(path)
		if route.Backend == "kinesis" {
			ma.RequestModels = pulumi.StringMap{"application/json": model.Name}
		}
		if len(params) > 0 {
			rp := pulumi.BoolMap{}
			for _, p := range params {
				rp["method.request.path."+p] = pulumi.Bool(true)
			}
			ma.RequestParameters = rp
		}
		m, err := apigateway.NewMethod(ctx, logical+"-method", ma, parent)
		if err != nil {
			return nil, fmt.Errorf("api: method %s: %w", route.Key, err)
		}
		c.Methods[route.Key] = m
		deps = append(deps, m)

		var ia *apigateway.IntegrationArgs
		switch route.Backend {
		case "kinesis":
			ia = &apigateway.IntegrationArgs{
				Type:                  pulumi.String("AWS"),
				IntegrationHttpMethod: pulumi.String("POST"),
				Uri:                   pulumi.Sprintf("arn:aws:apigateway:%s:kinesis:action/PutRecord", args.Region),
				Credentials:           kinesisRole.Arn,
				PassthroughBehavior:   pulumi.String("NEVER"),
				RequestParameters:     pulumi.StringMap{"integration.request.header.Content-Type": pulumi.String("'application/x-amz-json-1.1'")},
				RequestTemplates: pulumi.StringMap{"application/json": pulumi.Sprintf(
					`{"StreamName":"%s","PartitionKey":"$util.escapeJavaScript($input.path('$.patientId'))","Data":"$util.base64Encode($input.body)"}`,
					args.StreamName)},
			}
		case "read-api":
			rp := pulumi.StringMap{}
			for _, p := range params {
				rp["integration.request.path."+p] = pulumi.String("method.request.path." + p)
			}
			// The caller's identity from the authorizer's context; API Gateway overwrites a
			// client's own value of a mapped header.
			for header, key := range IdentityHeaders {
				rp["integration.request.header."+header] = pulumi.String("context.authorizer." + key)
			}
			ia = &apigateway.IntegrationArgs{
				Type:                  pulumi.String("HTTP_PROXY"),
				IntegrationHttpMethod: pulumi.String(method),
				ConnectionType:        pulumi.String("VPC_LINK"),
				ConnectionId:          c.VpcLink.ID(),
				Uri:                   pulumi.Sprintf("https://%s%s", host, path),
				RequestParameters:     rp,
				TlsConfig:             &apigateway.IntegrationTlsConfigArgs{InsecureSkipVerification: pulumi.Bool(false)},
			}
		default:
			return nil, fmt.Errorf("api: route %s: unknown backend %q", route.Key, route.Backend)
		}
		ia.RestApi, ia.ResourceId, ia.HttpMethod = rest.ID(), resID, m.HttpMethod
		ia.TimeoutMilliseconds = pulumi.Int(IntegrationTimeout)
		in, err := apigateway.NewIntegration(ctx, logical+"-integration", ia, parent)
		if err != nil {
			return nil, fmt.Errorf("api: integration %s: %w", route.Key, err)
		}
		c.Integrations[route.Key] = in
		deps = append(deps, in)

		if route.Backend == "kinesis" {
			// Answer 202 with the sequence number only; Kinesis errors map to 500 without detail.
			for _, r := range []struct{ status, pattern, template string }{
				{"202", "", `{"accepted":true,"sequenceNumber":"$input.path('$.SequenceNumber')"}`},
				{"500", "5\\d{2}|4\\d{2}", `{"accepted":false}`},
			} {
				mr, err := apigateway.NewMethodResponse(ctx, logical+"-response-"+r.status, &apigateway.MethodResponseArgs{
					RestApi: rest.ID(), ResourceId: resID, HttpMethod: m.HttpMethod, StatusCode: pulumi.String(r.status),
					ResponseModels: pulumi.StringMap{"application/json": pulumi.String("Empty")},
				}, parent)
				if err != nil {
					return nil, fmt.Errorf("api: method response %s %s: %w", route.Key, r.status, err)
				}
				ira := &apigateway.IntegrationResponseArgs{
					RestApi: rest.ID(), ResourceId: resID, HttpMethod: m.HttpMethod, StatusCode: mr.StatusCode,
					ResponseTemplates: pulumi.StringMap{"application/json": pulumi.String(r.template)},
				}
				if r.pattern != "" {
					ira.SelectionPattern = pulumi.String(r.pattern)
				}
				ir, err := apigateway.NewIntegrationResponse(ctx, logical+"-integration-response-"+r.status, ira, parent, pulumi.DependsOn([]pulumi.Resource{in}))
				if err != nil {
					return nil, fmt.Errorf("api: integration response %s %s: %w", route.Key, r.status, err)
				}
				deps = append(deps, mr, ir)
			}
		}
	}
	return deps, nil
}

// newKinesisRole creates the role API Gateway assumes to put records: PutRecord on this stream
// and data-key generation with the stream key, nothing else.
func (c *API) newKinesisRole(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) (*iam.Role, error) {
	n := args.Namer
	role, err := iam.NewRole(ctx, naming.Logical(name, "kinesis-role"), &iam.RoleArgs{
		Name:             pulumi.String(n.Physical("api", "kinesis")),
		Description:      pulumi.String("API Gateway: put observations into the vitals stream"),
		AssumeRolePolicy: pulumi.String(iampolicy.AssumeRole("apigateway.amazonaws.com", args.AccountID)),
		Tags:             n.Tags("api", "kinesis"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: kinesis role: %w", err)
	}
	pol, err := iam.NewPolicy(ctx, naming.Logical(name, "kinesis-policy"), &iam.PolicyArgs{
		Name:        pulumi.String(n.Physical("api", "kinesis")),
		Description: pulumi.String("PutRecord into the vitals stream only"),
		Policy: iampolicy.Document(
			iampolicy.Statement{Sid: "PutObservations", Actions: []string{"kinesis:PutRecord"}, Resources: []pulumi.StringInput{args.StreamArn}},
			iampolicy.Statement{Sid: "EncryptWithStreamKey", Actions: []string{"kms:GenerateDataKey"}, Resources: []pulumi.StringInput{args.StreamKmsKeyArn}},
		),
		Tags: n.Tags("api", "kinesis"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: kinesis policy: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, naming.Logical(name, "kinesis-attachment"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pol.Arn,
	}, parent); err != nil {
		return nil, fmt.Errorf("api: kinesis policy attachment: %w", err)
	}
	c.KinesisRole = role
	return role, nil
}

// newStage deploys the API into a stage with access logs, execution logging, tracing and
// throttling. The account-level CloudWatch role API Gateway needs for logging is set first.
func (c *API) newStage(ctx *pulumi.Context, name string, args Args, deps []pulumi.Resource, parent pulumi.ResourceOption) error {
	n := args.Namer
	cfg := args.Config
	rest := c.RestAPI

	account, err := c.newAccountSettings(ctx, name, args, parent)
	if err != nil {
		return err
	}

	// A new deployment whenever the routes or their templates change.
	h := sha256.New()
	for _, r := range Routes {
		_, _ = fmt.Fprintln(h, r.Key, r.Backend) // hash.Hash.Write never fails
	}
	_, _ = fmt.Fprintln(h, ObservationSchema, AccessLogFormat)
	dep, err := apigateway.NewDeployment(ctx, naming.Logical(name, "deployment"), &apigateway.DeploymentArgs{
		RestApi:     rest.ID(),
		Description: pulumi.String("vitals API"),
		Triggers:    pulumi.StringMap{"routes": pulumi.String(hex.EncodeToString(h.Sum(nil)))},
	}, parent, pulumi.DependsOn(deps))
	if err != nil {
		return fmt.Errorf("api: deployment: %w", err)
	}
	c.Deployment = dep

	// The backends can verify that a request comes from this API Gateway stage.
	clientCert, err := apigateway.NewClientCertificate(ctx, naming.Logical(name, "client-certificate"), &apigateway.ClientCertificateArgs{
		Description: pulumi.String("Presented by the vitals API to its HTTP backends"),
		Tags:        n.Tags("api", "client-certificate"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: client certificate: %w", err)
	}
	c.ClientCertificate = clientCert

	accessLogs, err := logging.NewLogGroup(ctx, naming.Logical(name, "access-logs"), args.Logs.Args("api", "access"), parent)
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	c.AccessLogs = accessLogs
	stage, err := apigateway.NewStage(ctx, naming.Logical(name, "stage"), &apigateway.StageArgs{
		RestApi:             rest.ID(),
		Deployment:          dep.ID(),
		StageName:           pulumi.String(cfg.StageName),
		XrayTracingEnabled:  pulumi.Bool(true),
		ClientCertificateId: clientCert.ID(),
		AccessLogSettings: &apigateway.StageAccessLogSettingsArgs{
			DestinationArn: accessLogs.Arn,
			Format:         pulumi.String(AccessLogFormat),
		},
		Tags: n.Tags("api", cfg.StageName),
	}, parent, pulumi.DependsOn(account))
	if err != nil {
		return fmt.Errorf("api: stage: %w", err)
	}
	c.Stage, c.StageArn, c.InvokeURL = stage, stage.Arn, stage.InvokeUrl

	settings, err := apigateway.NewMethodSettings(ctx, naming.Logical(name, "method-settings"), &apigateway.MethodSettingsArgs{
		RestApi:    rest.ID(),
		StageName:  stage.StageName,
		MethodPath: pulumi.String("*/*"),
		Settings: &apigateway.MethodSettingsSettingsArgs{
			LoggingLevel:         pulumi.String(cfg.LoggingLevel),
			DataTraceEnabled:     pulumi.Bool(false),
			MetricsEnabled:       pulumi.Bool(true),
			ThrottlingRateLimit:  pulumi.Float64(cfg.ThrottleRateLimit),
			ThrottlingBurstLimit: pulumi.Int(cfg.ThrottleBurstLimit),
			CachingEnabled:       pulumi.Bool(false), // responses carry PHI: no API cache
			CacheDataEncrypted:   pulumi.Bool(true),
		},
	}, parent, pulumi.DependsOn(account))
	if err != nil {
		return fmt.Errorf("api: method settings: %w", err)
	}
	c.Settings = settings
	return nil
}

// newAccountSettings sets API Gateway's account-level CloudWatch role (needed for execution
// and access logging) when this stack manages it, and returns what the stage must wait for.
// With apiGatewayAccountSettings "external" another stack of the account and region owns the
// one setting there is, and nothing is created here.
func (c *API) newAccountSettings(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) ([]pulumi.Resource, error) {
	if args.Config.AccountSettings != config.APIAccountManaged {
		return nil, nil
	}
	n := args.Namer
	cwRole, err := iam.NewRole(ctx, naming.Logical(name, "cloudwatch-role"), &iam.RoleArgs{
		Name:             pulumi.String(n.Physical("api", "cloudwatch")),
		Description:      pulumi.String("API Gateway (account setting): write execution and access logs"),
		AssumeRolePolicy: pulumi.String(iampolicy.AssumeRole("apigateway.amazonaws.com", args.AccountID)),
		Tags:             n.Tags("api", "cloudwatch"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: cloudwatch role: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, naming.Logical(name, "cloudwatch-attachment"), &iam.RolePolicyAttachmentArgs{
		Role: cwRole.Name, PolicyArn: pulumi.String(CloudWatchRoleARN),
	}, parent); err != nil {
		return nil, fmt.Errorf("api: cloudwatch policy attachment: %w", err)
	}
	account, err := apigateway.NewAccount(ctx, naming.Logical(name, "account"), &apigateway.AccountArgs{
		CloudwatchRoleArn: cwRole.Arn,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("api: account settings: %w", err)
	}
	c.Account = account
	return []pulumi.Resource{account}, nil
}

func pathParameters(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			out = append(out, strings.Trim(seg, "{}"))
		}
	}
	return out
}
