package api

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/iampolicy"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// Authorizer function settings.
const (
	AuthorizerRuntime      = "provided.al2023"
	AuthorizerArchitecture = "arm64"
	AuthorizerHandler      = "bootstrap"
)

// newAuthorizer creates the authorizer Lambda (arm64, provided.al2023, in the private subnets,
// reserved concurrency, X-Ray, its own KMS-encrypted log group), its invoke permission scoped to
// this API's authorizer, and the API Gateway TOKEN authorizer.
func (c *API) newAuthorizer(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	n := args.Namer
	cfg := args.Config

	logs, err := logging.NewLogGroup(ctx, naming.Logical(name, "authorizer-logs"), args.Logs.Args("api", "authorizer"), parent)
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}

	sg, err := ec2.NewSecurityGroup(ctx, naming.Logical(name, "authorizer-sg"), &ec2.SecurityGroupArgs{
		Name:        pulumi.String(n.Physical("authorizer", "sg")),
		Description: pulumi.String("API authorizer Lambda: no ingress; HTTPS to the VPC endpoints only"),
		VpcId:       args.VpcID,
		Tags:        n.Tags("authorizer", "sg"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: authorizer security group: %w", err)
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Logical(name, "authorizer-egress-endpoints"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(), Description: pulumi.String("HTTPS to the VPC interface endpoints"),
		IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrIpv4: args.VpcCidr,
		Tags: n.Tags("authorizer", "to", "endpoints"),
	}, parent); err != nil {
		return fmt.Errorf("api: authorizer egress: %w", err)
	}

	role, err := iam.NewRole(ctx, naming.Logical(name, "authorizer-role"), &iam.RoleArgs{
		Name:             pulumi.String(n.Physical("authorizer")),
		Description:      pulumi.String("API authorizer Lambda"),
		AssumeRolePolicy: pulumi.String(iampolicy.AssumeRole("lambda.amazonaws.com", args.AccountID)),
		Tags:             n.Tags("authorizer"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: authorizer role: %w", err)
	}
	pol, err := iam.NewPolicy(ctx, naming.Logical(name, "authorizer-policy"), &iam.PolicyArgs{
		Name:        pulumi.String(n.Physical("authorizer")),
		Description: pulumi.String("Authorizer: its own log group, VPC network interfaces, X-Ray"),
		Policy: iampolicy.Document(
			iampolicy.Statement{Sid: "WriteOwnLogs", Actions: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				Resources: []pulumi.StringInput{pulumi.Sprintf("%s:log-stream:*", logs.Arn)}},
			// These EC2 actions do not support resource-level permissions.
			iampolicy.Statement{Sid: "VpcNetworkInterfaces", Actions: []string{
				"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
				"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
			}, Resources: []pulumi.StringInput{pulumi.String("*")}},
			iampolicy.Statement{Sid: "Tracing", Actions: []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords"},
				Resources: []pulumi.StringInput{pulumi.String("*")}},
		),
		Tags: n.Tags("authorizer"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: authorizer policy: %w", err)
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, naming.Logical(name, "authorizer-attachment"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pol.Arn,
	}, parent)
	if err != nil {
		return fmt.Errorf("api: authorizer policy attachment: %w", err)
	}

	fa := &lambda.FunctionArgs{
		Name:          pulumi.String(n.Physical("authorizer")),
		Description:   pulumi.String("API Gateway TOKEN authorizer: bearer JWT of the identity provider, scope per route, deny by default"),
		Runtime:       pulumi.String(AuthorizerRuntime),
		Architectures: pulumi.ToStringArray([]string{AuthorizerArchitecture}),
		Handler:       pulumi.String(AuthorizerHandler),
		Code:          pulumi.NewFileArchive(args.AuthorizerZipPath),
		Role:          role.Arn,
		// Non-secret settings only (services/cmd/authorizer); without them the Lambda denies all.
		Environment: &lambda.FunctionEnvironmentArgs{Variables: pulumi.StringMap{
			"AUTHORIZER_ISSUER":   pulumi.String(cfg.AuthorizerIssuer),
			"AUTHORIZER_AUDIENCE": pulumi.String(cfg.AuthorizerAudience),
		}},
		MemorySize:                   pulumi.Int(cfg.AuthorizerMemoryMB),
		Timeout:                      pulumi.Int(cfg.AuthorizerTimeoutSeconds),
		ReservedConcurrentExecutions: pulumi.Int(cfg.AuthorizerReservedConcur),
		VpcConfig: &lambda.FunctionVpcConfigArgs{
			SubnetIds:        args.PrivateSubnetIDs,
			SecurityGroupIds: pulumi.StringArray{sg.ID()},
		},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{
			LogFormat: pulumi.String("JSON"), LogGroup: logs.Name,
			ApplicationLogLevel: pulumi.String("INFO"), SystemLogLevel: pulumi.String("WARN"),
		},
		TracingConfig: &lambda.FunctionTracingConfigArgs{Mode: pulumi.String("Active")},
		Tags:          n.Tags("authorizer"),
	}
	if args.LambdaKmsKeyArn != nil {
		fa.KmsKeyArn = args.LambdaKmsKeyArn
	}
	fn, err := lambda.NewFunction(ctx, naming.Logical(name, "authorizer"), fa, parent, pulumi.DependsOn([]pulumi.Resource{attach}))
	if err != nil {
		return fmt.Errorf("api: authorizer function: %w", err)
	}
	c.Function = fn

	auth, err := apigateway.NewAuthorizer(ctx, naming.Logical(name, "token-authorizer"), &apigateway.AuthorizerArgs{
		Name:                         pulumi.String(n.Physical("token", "authorizer")),
		RestApi:                      c.RestAPI.ID(),
		Type:                         pulumi.String(AuthorizerType),
		AuthorizerUri:                fn.InvokeArn,
		IdentitySource:               pulumi.String(cfg.AuthorizerIdentitySource),
		AuthorizerResultTtlInSeconds: pulumi.Int(cfg.AuthorizerTTLSeconds),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: authorizer: %w", err)
	}
	c.Authorizer = auth

	perm, err := lambda.NewPermission(ctx, naming.Logical(name, "authorizer-permission"), &lambda.PermissionArgs{
		Action:        pulumi.String("lambda:InvokeFunction"),
		Function:      fn.Name,
		Principal:     pulumi.String("apigateway.amazonaws.com"),
		SourceArn:     pulumi.Sprintf("%s/authorizers/%s", c.RestAPI.ExecutionArn, auth.ID()),
		SourceAccount: pulumi.String(args.AccountID),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: authorizer permission: %w", err)
	}
	c.Permission = perm
	return nil
}
