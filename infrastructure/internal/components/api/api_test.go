package api_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/api"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
)

// entry reads a map input whose keys contain dots.
func entry(t *testing.T, r mocktest.Resource, path, key string) resource.PropertyValue {
	t.Helper()
	v, ok := r.Value(path)
	require.True(t, ok && v.IsObject(), "%s %s: %s is a map", r.Type, r.Name, path)
	e, ok := v.ObjectValue()[resource.PropertyKey(key)]
	require.True(t, ok, "%s %s: %s has %s", r.Type, r.Name, path, key)
	return e
}

func stringMap(t *testing.T, v resource.PropertyValue) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, e := range v.ObjectValue() {
		require.True(t, e.IsString(), "%s is a string", k)
		out[string(k)] = e.StringValue()
	}
	return out
}

func TestEveryMethodUsesTheCustomAuthorizer(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:api:Api")
			dptest.RequireChildren(t, rec, comp)
			rest := dptest.Only(t, rec, "aws:apigateway/restApi:RestApi")
			assert.Equal(t, "REGIONAL", rest.Str("endpointConfiguration.types"))
			assert.Equal(t, "hipaa-vitals-api-"+stack, rest.Str("name"))

			auth := dptest.Only(t, rec, "aws:apigateway/authorizer:Authorizer")
			fn := dptest.Only(t, rec, "aws:lambda/function:Function")
			assert.Equal(t, "TOKEN", auth.Str("type"))
			assert.Equal(t, rest.ID, auth.Str("restApi"))
			assert.Equal(t, "method.request.header.Authorization", auth.Str("identitySource"))
			assert.Equal(t, 300.0, dptest.Num(t, auth, "authorizerResultTtlInSeconds"))
			assert.Equal(t, dptest.Out(fn, "invokeArn"), auth.Str("authorizerUri"))
			require.NotEmpty(t, auth.Str("authorizerUri"))

			validator := dptest.Only(t, rec, "aws:apigateway/requestValidator:RequestValidator")
			assert.True(t, dptest.Bool(t, validator, "validateRequestBody"))
			assert.True(t, dptest.Bool(t, validator, "validateRequestParameters"))

			methods := rec.OfType("aws:apigateway/method:Method")
			require.Len(t, methods, len(api.Routes))
			seen := map[string]bool{}
			for _, m := range methods {
				seen[m.Str("httpMethod")] = true
				if m.Str("httpMethod") == "OPTIONS" {
					continue // CORS preflight is the only exemption (and this API has none)
				}
				assert.Equal(t, "CUSTOM", m.Str("authorization"), "method %s", m.Name)
				assert.Equal(t, auth.ID, m.Str("authorizerId"), "method %s", m.Name)
				assert.Equal(t, validator.ID, m.Str("requestValidatorId"), "method %s", m.Name)
				assert.Equal(t, rest.ID, m.Str("restApi"))
				assert.False(t, m.Has("apiKeyRequired") && !strings.EqualFold(m.Str("authorization"), "CUSTOM"))
			}
			assert.Equal(t, map[string]bool{"POST": true, "GET": true}, seen)
		})
	}
}

func TestAuthorizerFunction(t *testing.T) {
	reserved := map[string]float64{"dev": 5, "prod": 50}
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			fn := dptest.Only(t, rec, "aws:lambda/function:Function")
			assert.Equal(t, "hipaa-authorizer-"+stack, fn.Str("name"))
			assert.Equal(t, "provided.al2023", fn.Str("runtime"))
			assert.Equal(t, []string{"arm64"}, fn.Strs("architectures"))
			assert.Equal(t, "bootstrap", fn.Str("handler"))
			assert.Equal(t, reserved[stack], dptest.Num(t, fn, "reservedConcurrentExecutions"))
			assert.Equal(t, dptest.SubnetIDs(t, rec, "private"), dptest.Sorted(fn.Strs("vpcConfig.subnetIds")))
			sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "api-authorizer-sg")
			assert.Equal(t, []string{sg.ID}, fn.Strs("vpcConfig.securityGroupIds"))
			assert.Equal(t, "Active", fn.Str("tracingConfig.mode"))
			assert.Equal(t, dptest.KeyArn(t, rec, "secrets"), fn.Str("kmsKeyArn"))
			vars, ok := fn.Value("environment.variables")
			require.True(t, ok && vars.IsObject(), "the authorizer's environment")
			assert.Equal(t, map[string]string{
				"AUTHORIZER_ISSUER":   "https://idp.example/realms/hipaa-" + stack,
				"AUTHORIZER_AUDIENCE": "carepulse-vitals-api-" + stack,
			}, stringMap(t, vars), "the identity provider of the stack's config, nothing secret")

			lg := dptest.One(t, rec, "aws:cloudwatch/logGroup:LogGroup", "api-authorizer-logs")
			assert.Equal(t, "/hipaa/api/authorizer-"+stack, lg.Str("name"))
			assert.Equal(t, lg.Str("name"), fn.Str("loggingConfig.logGroup"), "its own log group")
			assert.Equal(t, dptest.KeyArn(t, rec, "logs"), lg.Str("kmsKeyId"))

			code, ok := fn.Value("code")
			require.True(t, ok)
			require.True(t, code.IsArchive(), "code is a file archive")
			path := code.ArchiveValue().Path
			assert.True(t, filepath.IsAbs(path), path)
			assert.Equal(t, filepath.Join("bin", "authorizer.zip"), filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)))

			rest := dptest.Only(t, rec, "aws:apigateway/restApi:RestApi")
			auth := dptest.Only(t, rec, "aws:apigateway/authorizer:Authorizer")
			perm := dptest.Only(t, rec, "aws:lambda/permission:Permission")
			assert.Equal(t, "lambda:InvokeFunction", perm.Str("action"))
			assert.Equal(t, "apigateway.amazonaws.com", perm.Str("principal"))
			assert.Equal(t, fn.Str("name"), perm.Str("function"))
			assert.Equal(t, dptest.Out(rest, "executionArn")+"/authorizers/"+auth.ID, perm.Str("sourceArn"), "scoped to this API's authorizer")
			assert.Equal(t, "111122223333", perm.Str("sourceAccount"))

			pol := dptest.One(t, rec, "aws:iam/policy:Policy", "api-authorizer-policy")
			doc, err := pol.JSON("policy")
			require.NoError(t, err)
			for _, s := range doc["Statement"].([]any) {
				st := s.(map[string]any)
				if st["Sid"] == "WriteOwnLogs" {
					assert.Equal(t, []any{dptest.Arn(lg) + ":log-stream:*"}, st["Resource"])
				}
				for _, a := range st["Action"].([]any) {
					assert.NotContains(t, a.(string), ":*", "no service-wide wildcard")
				}
			}
		})
	}
}

func TestIngestIntegratesWithKinesis(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			in := dptest.One(t, rec, "aws:apigateway/integration:Integration", "api-post-observations-integration")
			role := dptest.One(t, rec, "aws:iam/role:Role", "api-kinesis-role")
			stream := dptest.Only(t, rec, "aws:kinesis/stream:Stream")
			assert.Equal(t, "AWS", in.Str("type"))
			assert.Equal(t, "POST", in.Str("integrationHttpMethod"))
			assert.Equal(t, "arn:aws:apigateway:eu-west-1:kinesis:action/PutRecord", in.Str("uri"))
			assert.Equal(t, dptest.Arn(role), in.Str("credentials"))
			assert.Equal(t, "NEVER", in.Str("passthroughBehavior"))
			var tmpl map[string]string
			require.NoError(t, json.Unmarshal([]byte(in.Str("requestTemplates.application/json")), &tmpl))
			assert.Equal(t, "hipaa-vitals-stream-"+stack, tmpl["StreamName"])
			assert.Equal(t, "$util.base64Encode($input.body)", tmpl["Data"])

			pol := dptest.One(t, rec, "aws:iam/policy:Policy", "api-kinesis-policy")
			doc, err := pol.JSON("policy")
			require.NoError(t, err)
			assert.Equal(t, []any{
				map[string]any{"Sid": "PutObservations", "Effect": "Allow", "Action": []any{"kinesis:PutRecord"}, "Resource": []any{dptest.Arn(stream)}},
				map[string]any{"Sid": "EncryptWithStreamKey", "Effect": "Allow", "Action": []any{"kms:GenerateDataKey"}, "Resource": []any{dptest.KeyArn(t, rec, "stream")}},
			}, doc["Statement"])
			trust, err := role.JSON("assumeRolePolicy")
			require.NoError(t, err)
			assert.Equal(t, map[string]any{"Service": "apigateway.amazonaws.com"}, trust["Statement"].([]any)[0].(map[string]any)["Principal"])

			m := dptest.One(t, rec, "aws:apigateway/method:Method", "api-post-observations-method")
			assert.Equal(t, "Observation", m.Str("requestModels.application/json"))
			model := dptest.Only(t, rec, "aws:apigateway/model:Model")
			var schema map[string]any
			require.NoError(t, json.Unmarshal([]byte(model.Str("schema")), &schema))
			assert.Equal(t, false, schema["additionalProperties"])
			assert.Equal(t, []any{"deviceId", "patientId", "facilityId", "code", "value", "unit", "observedAt"}, schema["required"],
				"the record format of services/observation")
		})
	}
}

func TestReadsGoThroughTheVpcLink(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			nlb := dptest.Only(t, rec, "aws:lb/loadBalancer:LoadBalancer")
			link := dptest.Only(t, rec, "aws:apigateway/vpcLink:VpcLink")
			assert.Equal(t, []string{dptest.Arn(nlb)}, []string{link.Str("targetArn")})
			for _, route := range []string{"latest", "history"} {
				in := dptest.One(t, rec, "aws:apigateway/integration:Integration", "api-get-patients-patient-id-vitals-"+route+"-integration")
				assert.Equal(t, "HTTP_PROXY", in.Str("type"))
				assert.Equal(t, "VPC_LINK", in.Str("connectionType"))
				assert.Equal(t, link.ID, in.Str("connectionId"))
				assert.Equal(t, "https://"+dptest.Out(nlb, "dnsName")+"/patients/{patientId}/vitals/"+route, in.Str("uri"))
				assert.Equal(t, "method.request.path.patientId", entry(t, in, "requestParameters", "integration.request.path.patientId").StringValue())
				assert.Equal(t, "context.authorizer.facilityId", entry(t, in, "requestParameters", "integration.request.header.X-Authz-Facility-Id").StringValue())
				assert.Equal(t, "context.authorizer.role", entry(t, in, "requestParameters", "integration.request.header.X-Authz-Role").StringValue())
				assert.Equal(t, "context.authorizer.scope", entry(t, in, "requestParameters", "integration.request.header.X-Authz-Scope").StringValue())
				rp, ok := in.Value("requestParameters")
				require.True(t, ok)
				assert.Len(t, rp.ObjectValue(), 4, "the path parameter and the three identity headers, nothing else")
				assert.False(t, dptest.Bool(t, in, "tlsConfig.insecureSkipVerification"))
				m := dptest.One(t, rec, "aws:apigateway/method:Method", "api-get-patients-patient-id-vitals-"+route+"-method")
				assert.True(t, entry(t, m, "requestParameters", "method.request.path.patientId").BoolValue())
			}

			assert.Equal(t, "network", nlb.Str("loadBalancerType"))
			assert.True(t, dptest.Bool(t, nlb, "internal"))
			assert.Equal(t, dptest.SubnetIDs(t, rec, "private"), dptest.Sorted(nlb.Strs("subnets")))
			assert.True(t, dptest.Bool(t, nlb, "enableCrossZoneLoadBalancing"))
			assert.Equal(t, stack == "prod", dptest.Bool(t, nlb, "enableDeletionProtection"))

			l := dptest.Only(t, rec, "aws:lb/listener:Listener")
			tg := dptest.Only(t, rec, "aws:lb/targetGroup:TargetGroup")
			assert.Equal(t, "TLS", l.Str("protocol"))
			assert.Equal(t, 443.0, dptest.Num(t, l, "port"))
			assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", l.Str("sslPolicy"))
			assert.True(t, strings.HasPrefix(l.Str("certificateArn"), "arn:aws:acm:eu-west-1:111122223333:certificate/"))
			assert.Equal(t, dptest.Arn(tg), l.Str("defaultActions.0.targetGroupArn"))
			assert.Equal(t, "TLS", tg.Str("protocol"), "TLS to the targets")
			assert.Equal(t, 8443.0, dptest.Num(t, tg, "port"))
			assert.Equal(t, "ip", tg.Str("targetType"))
			assert.Equal(t, "HTTPS", tg.Str("healthCheck.protocol"))
		})
	}
}

func TestStageLoggingTracingThrottling(t *testing.T) {
	wants := map[string]struct {
		level        string
		rate, burst  float64
		wafRateLimit float64
	}{
		"dev":  {"INFO", 50, 100, 1000},
		"prod": {"ERROR", 1000, 2000, 2000},
	}
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			w := wants[stack]
			rec := dptest.Stack(t, stack)
			stage := dptest.Only(t, rec, "aws:apigateway/stage:Stage")
			dep := dptest.Only(t, rec, "aws:apigateway/deployment:Deployment")
			lg := dptest.One(t, rec, "aws:cloudwatch/logGroup:LogGroup", "api-access-logs")
			assert.Equal(t, "v1", stage.Str("stageName"))
			assert.Equal(t, dep.ID, stage.Str("deployment"))
			assert.True(t, dptest.Bool(t, stage, "xrayTracingEnabled"))
			assert.Equal(t, dptest.Only(t, rec, "aws:apigateway/clientCertificate:ClientCertificate").ID, stage.Str("clientCertificateId"))
			assert.Equal(t, dptest.Arn(lg), stage.Str("accessLogSettings.destinationArn"))
			assert.Equal(t, dptest.KeyArn(t, rec, "logs"), lg.Str("kmsKeyId"))
			var format map[string]string
			require.NoError(t, json.Unmarshal([]byte(stage.Str("accessLogSettings.format")), &format), "JSON access log")
			assert.Equal(t, "$context.requestId", format["requestId"])
			assert.Equal(t, "$context.resourcePath", format["resourcePath"])
			assert.NotContains(t, stage.Str("accessLogSettings.format"), "$context.path", "the concrete path carries the patient ID")
			assert.False(t, stage.Has("cacheClusterEnabled") && func() bool { b, _ := stage.Bool("cacheClusterEnabled"); return b }())

			ms := dptest.Only(t, rec, "aws:apigateway/methodSettings:MethodSettings")
			assert.Equal(t, "*/*", ms.Str("methodPath"))
			assert.Equal(t, "v1", ms.Str("stageName"))
			assert.Equal(t, w.level, ms.Str("settings.loggingLevel"))
			assert.False(t, dptest.Bool(t, ms, "settings.dataTraceEnabled"))
			assert.True(t, dptest.Bool(t, ms, "settings.metricsEnabled"))
			assert.Equal(t, w.rate, dptest.Num(t, ms, "settings.throttlingRateLimit"))
			assert.Equal(t, w.burst, dptest.Num(t, ms, "settings.throttlingBurstLimit"))

			acl := dptest.Only(t, rec, "aws:wafv2/webAcl:WebAcl")
			assert.Equal(t, "REGIONAL", acl.Str("scope"))
			v, ok := acl.Value("rules")
			require.True(t, ok)
			var groups []string
			for _, r := range v.ArrayValue() {
				o := r.ObjectValue()
				if mg, ok := o["statement"].ObjectValue()["managedRuleGroupStatement"]; ok {
					assert.Equal(t, "AWS", mg.ObjectValue()["vendorName"].StringValue())
					groups = append(groups, mg.ObjectValue()["name"].StringValue())
				}
				if rb, ok := o["statement"].ObjectValue()["rateBasedStatement"]; ok {
					assert.Equal(t, w.wafRateLimit, rb.ObjectValue()["limit"].NumberValue())
				}
			}
			assert.Equal(t, api.ManagedRuleGroups, groups)
			assert.Contains(t, groups, "AWSManagedRulesKnownBadInputsRuleSet")

			assoc := dptest.Only(t, rec, "aws:wafv2/webAclAssociation:WebAclAssociation")
			assert.Equal(t, dptest.Arn(stage), assoc.Str("resourceArn"), "WAF on the stage's ARN")
			assert.Equal(t, "arn:aws:apigateway:eu-west-1::/restapis/"+stage.Str("restApi")+"/stages/v1", assoc.Str("resourceArn"))
			assert.Equal(t, dptest.Arn(acl), assoc.Str("webAclArn"))

			wl := dptest.One(t, rec, "aws:cloudwatch/logGroup:LogGroup", "api-waf-logs")
			assert.Equal(t, "aws-waf-logs-hipaa-api-"+stack, wl.Str("name"))
			assert.Equal(t, dptest.KeyArn(t, rec, "logs"), wl.Str("kmsKeyId"))
			logging := dptest.Only(t, rec, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
			assert.Equal(t, dptest.Arn(acl), logging.Str("resourceArn"))
			assert.Equal(t, []string{dptest.Arn(wl)}, logging.Strs("logDestinationConfigs"))
			assert.Equal(t, "authorization", logging.Str("redactedFields.0.singleHeader.name"))

			assert.Empty(t, rec.OfType("aws:apigateway/domainName:DomainName"), "no custom domain configured")
		})
	}
}

func TestReadAPIHostname(t *testing.T) {
	rec, err := dptest.Run(t, "prod", map[string]string{"hipaa-pipeline:readApiHostname": "read-api.vitals.example.org"})
	require.NoError(t, err)
	in := dptest.One(t, rec, "aws:apigateway/integration:Integration", "api-get-patients-patient-id-vitals-latest-integration")
	assert.Equal(t, "https://read-api.vitals.example.org/patients/{patientId}/vitals/latest", in.Str("uri"),
		"the host the certificate covers; the VPC link still routes to the NLB")
	assert.Equal(t, dptest.Only(t, rec, "aws:apigateway/vpcLink:VpcLink").ID, in.Str("connectionId"))

	_, err = dptest.Run(t, "prod", map[string]string{"hipaa-pipeline:readApiHostname": "not a host"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `hipaa-pipeline:readApiHostname: "not a host" is not a DNS name`)
}

func TestCustomDomainUsesTLS12(t *testing.T) {
	rec, err := dptest.Run(t, "prod", map[string]string{
		"hipaa-pipeline:apiDomainName":     "api.vitals.example.org",
		"hipaa-pipeline:apiCertificateArn": "arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555",
	})
	require.NoError(t, err)
	dn := dptest.Only(t, rec, "aws:apigateway/domainName:DomainName")
	assert.Equal(t, "api.vitals.example.org", dn.Str("domainName"))
	assert.Equal(t, "TLS_1_2", dn.Str("securityPolicy"))
	assert.Equal(t, "REGIONAL", dn.Str("endpointConfiguration.types"))
	assert.Equal(t, "arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555", dn.Str("regionalCertificateArn"))
	m := dptest.Only(t, rec, "aws:apigateway/basePathMapping:BasePathMapping")
	assert.Equal(t, "v1", m.Str("stageName"))
	rest := dptest.Only(t, rec, "aws:apigateway/restApi:RestApi")
	assert.True(t, dptest.Bool(t, rest, "disableExecuteApiEndpoint"), "clients must use the TLS 1.2 domain")
}

// TestAccountSettingsOwnedByOneStack: API Gateway has one CloudWatch role setting per account
// and region. prod owns it (managed); dev, in the same account here, relies on it (external)
// and creates neither the setting nor a role that destroying dev would take away from prod.
func TestAccountSettingsOwnedByOneStack(t *testing.T) {
	t.Run("managed", func(t *testing.T) {
		for name, rec := range map[string]*mocktest.Recorded{
			"prod":             dptest.Stack(t, "prod"),
			"dev when managed": run(t, "dev", map[string]string{"hipaa-pipeline:apiGatewayAccountSettings": "managed"}),
		} {
			acct := dptest.Only(t, rec, "aws:apigateway/account:Account")
			cw := dptest.One(t, rec, "aws:iam/role:Role", "api-cloudwatch-role")
			assert.Equal(t, dptest.Arn(cw), acct.Str("cloudwatchRoleArn"), name)
			att := dptest.One(t, rec, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "api-cloudwatch-attachment")
			assert.Equal(t, api.CloudWatchRoleARN, att.Str("policyArn"), name)
			for _, typ := range []string{"aws:apigateway/stage:Stage", "aws:apigateway/methodSettings:MethodSettings"} {
				assert.Contains(t, dptest.Only(t, rec, typ).Dependencies, acct.URN, "%s: %s waits for the account setting", name, typ)
			}
		}
	})
	t.Run("external", func(t *testing.T) {
		for name, rec := range map[string]*mocktest.Recorded{
			"dev":                dptest.Stack(t, "dev"),
			"prod when external": run(t, "prod", map[string]string{"hipaa-pipeline:apiGatewayAccountSettings": "external"}),
		} {
			assert.Empty(t, rec.OfType("aws:apigateway/account:Account"), name)
			_, ok := rec.One("aws:iam/role:Role", "api-cloudwatch-role")
			assert.False(t, ok, "%s: no CloudWatch role of its own", name)
			stage := dptest.Only(t, rec, "aws:apigateway/stage:Stage")
			assert.NotEmpty(t, stage.Str("accessLogSettings.destinationArn"), "%s: access logs still on", name)
		}
	})
}

func run(t *testing.T, stack string, changes map[string]string) *mocktest.Recorded {
	t.Helper()
	rec, err := dptest.Run(t, stack, changes)
	require.NoError(t, err)
	return rec
}

func TestAPIConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"execution logging off", map[string]string{"hipaa-pipeline:apiLoggingLevel": "OFF"},
			`hipaa-pipeline:apiLoggingLevel: "OFF" is not an execution logging level (allowed: ERROR, INFO; OFF is not allowed)`},
		{"domain without certificate", map[string]string{"hipaa-pipeline:apiDomainName": "api.example.org"},
			`hipaa-pipeline:apiCertificateArn: "" is not an ACM certificate ARN (required with apiDomainName)`},
		{"no reserved concurrency", map[string]string{"hipaa-pipeline:authorizerReservedConcurrency": "0"},
			"hipaa-pipeline:authorizerReservedConcurrency: 0: the authorizer needs reserved concurrency (allowed: >= 1)"},
		{"authorizer TTL above an hour", map[string]string{"hipaa-pipeline:apiAuthorizerTtlSeconds": "7200"},
			"hipaa-pipeline:apiAuthorizerTtlSeconds: 7200 is out of range (allowed: 0..3600 seconds)"},
		{"unknown account settings mode", map[string]string{"hipaa-pipeline:apiGatewayAccountSettings": "shared"},
			`hipaa-pipeline:apiGatewayAccountSettings: "shared" is not an account settings mode (allowed: managed, external; exactly one stack per account and region is managed)`},
		{"missing NLB certificate", map[string]string{"hipaa-pipeline:readApiCertificateArn": ""},
			`hipaa-pipeline:readApiCertificateArn: "" is not an ACM certificate ARN`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := dptest.Run(t, "prod", tt.changes)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, rec.Resources)
		})
	}
}

// TestObservationSchemaAcceptsTheRecordFormat checks the gateway schema against the documented
// example record of services/observation: same fields, each value matching its rule.
func TestObservationSchemaAcceptsTheRecordFormat(t *testing.T) {
	example := map[string]any{
		"deviceId": "monitor-0042", "patientId": "pt-7f3a91", "facilityId": "fac-north",
		"code": "8867-4", "value": 72.0, "unit": "/min", "observedAt": "2026-12-03T11:59:58.250Z",
	}
	var schema struct {
		Required   []string `json:"required"`
		Properties map[string]struct {
			Type    string `json:"type"`
			Pattern string `json:"pattern"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal([]byte(api.ObservationSchema), &schema))
	assert.ElementsMatch(t, schema.Required, mapKeys(example))
	assert.ElementsMatch(t, mapKeys(schemaProps(schema.Properties)), mapKeys(example))
	for field, v := range example {
		p := schema.Properties[field]
		switch p.Type {
		case "string":
			s, ok := v.(string)
			require.True(t, ok, field)
			if p.Pattern != "" {
				assert.Regexp(t, p.Pattern, s, field)
			}
		case "number":
			_, ok := v.(float64)
			assert.True(t, ok, field)
		default:
			t.Fatalf("%s: unexpected schema type %q", field, p.Type)
		}
	}
	assert.NotRegexp(t, schema.Properties["patientId"].Pattern, "Jane Doe", "no names or free text")
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func schemaProps[V any](m map[string]V) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k] = true
	}
	return out
}
