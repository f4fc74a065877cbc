// Package compute holds the ECS Fargate side of the pipeline: the cluster, the stream processor
// service (reads Kinesis, writes Aurora and the cache) and the read-API service behind the
// internal NLB. Tasks run in the private subnets without public IPs, as a non-root user with a
// read-only root filesystem, with least-privilege task roles separate from their execution
// roles, and scale with Application Auto Scaling.
package compute

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/iampolicy"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("compute", "Compute")

// Fixed choices.
const (
	ReadAPIPort         = 8443
	ProcessorName       = "processor"
	ReadAPIName         = "read-api"
	ContainerInsights   = "enhanced"
	ScalableDimension   = "ecs:service:DesiredCount"
	IteratorAgeMetric   = "GetRecords.IteratorAgeMilliseconds"
	DatabasePort        = 5432
	CachePort           = 6379
	HTTPSPort           = 443
	CPUPredefinedMetric = "ECSServiceAverageCPUUtilization"
	// RDSCABundlePath is where the service images carry the RDS CA bundle (global bundle of the
	// RDS certificate authorities), so that sslmode verify-full can verify Aurora's certificate.
	// It must equal services/image.CABundlePath (a test there compares them).
	RDSCABundlePath      = "/etc/ssl/rds/global-bundle.pem"
	ScaleInCooldownSecs  = 300
	ScaleOutCooldownSecs = 60
)

// Args configures the compute component.
type Args struct {
	Namer     naming.Namer
	Region    string
	AccountID string

	VpcCidr          pulumi.StringInput
	PrivateSubnetIDs pulumi.StringArrayInput
	// S3PrefixListID is the S3 gateway endpoint's prefix list (image layers); optional.
	S3PrefixListID pulumi.StringInput
	SecurityGroups *SecurityGroups
	Logs           logging.Settings

	StreamArn       pulumi.StringInput
	StreamName      pulumi.StringInput
	StreamKmsKeyArn pulumi.StringInput

	DBClusterResourceID pulumi.StringInput
	DBEndpoint          pulumi.StringInput
	DBReaderEndpoint    pulumi.StringInput
	DBName              string
	DBSecurityGroupID   pulumi.StringInput

	CacheArn             pulumi.StringInput
	CacheUserArn         pulumi.StringInput
	CacheUserName        string
	CacheEndpoint        pulumi.StringInput
	CacheSecurityGroupID pulumi.StringInput

	// ReadAPITargetGroupArn is the internal NLB's target group the read API registers in.
	ReadAPITargetGroupArn pulumi.StringInput

	ProcessorImage string
	ReadAPIImage   string
	// ImageRepositories are the repositories holding the images; the task definitions (and so
	// the services) are created after them. Optional.
	ImageRepositories []pulumi.Resource
	// ProcessorSecrets and ReadAPISecrets map an environment variable to a secret ARN injected
	// by ECS; the task may read exactly these secrets.
	ProcessorSecrets map[string]pulumi.StringInput
	ReadAPISecrets   map[string]pulumi.StringInput
	SecretsKmsKeyArn pulumi.StringInput

	Config config.ComputeConfig
}

// Service is one Fargate service with its roles and scaling.
type Service struct {
	LogGroup       *cloudwatch.LogGroup
	ExecutionRole  *iam.Role
	TaskRole       *iam.Role
	TaskDefinition *ecs.TaskDefinition
	Service        *ecs.Service
	ScalingTarget  *appautoscaling.Target
	Policies       []*appautoscaling.Policy
}

// Compute is the component.
type Compute struct {
	pulumi.ResourceState

	Cluster   *ecs.Cluster
	Processor *Service
	ReadAPI   *Service

	ClusterName pulumi.StringOutput
}

func (a Args) check() error {
	var errs []error
	req := map[string]bool{
		"VpcCidr": a.VpcCidr != nil, "PrivateSubnetIDs": a.PrivateSubnetIDs != nil, "SecurityGroups": a.SecurityGroups != nil,
		"StreamArn": a.StreamArn != nil, "StreamName": a.StreamName != nil, "StreamKmsKeyArn": a.StreamKmsKeyArn != nil,
		"DBClusterResourceID": a.DBClusterResourceID != nil, "DBEndpoint": a.DBEndpoint != nil, "DBReaderEndpoint": a.DBReaderEndpoint != nil,
		"DBSecurityGroupID": a.DBSecurityGroupID != nil, "CacheArn": a.CacheArn != nil, "CacheUserArn": a.CacheUserArn != nil,
		"CacheEndpoint": a.CacheEndpoint != nil, "CacheSecurityGroupID": a.CacheSecurityGroupID != nil,
		"ReadAPITargetGroupArn": a.ReadAPITargetGroupArn != nil,
		"Region":                a.Region != "", "AccountID": a.AccountID != "", "DBName": a.DBName != "", "CacheUserName": a.CacheUserName != "",
		"ProcessorImage": a.ProcessorImage != "", "ReadAPIImage": a.ReadAPIImage != "",
	}
	var missing []string
	for k, ok := range req {
		if !ok {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		errs = append(errs, fmt.Errorf("%s is required", k))
	}
	if (len(a.ProcessorSecrets) > 0 || len(a.ReadAPISecrets) > 0) && a.SecretsKmsKeyArn == nil {
		errs = append(errs, errors.New("SecretsKmsKeyArn is required when secrets are injected"))
	}
	return errors.Join(errs...)
}

// New creates the compute component.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Compute, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("compute: %w", err)
	}
	c := &Compute{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("compute: register component: %w", err)
	}
	parent := pulumi.Parent(c)
	n := args.Namer

	cluster, err := ecs.NewCluster(ctx, naming.Logical(name, "cluster"), &ecs.ClusterArgs{
		Name:     pulumi.String(n.Physical("pipeline")),
		Settings: ecs.ClusterSettingArray{ecs.ClusterSettingArgs{Name: pulumi.String("containerInsights"), Value: pulumi.String(ContainerInsights)}},
		Tags:     n.Tags("pipeline"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: cluster: %w", err)
	}
	c.Cluster, c.ClusterName = cluster, cluster.Name

	if err := egressRules(ctx, name, args, parent); err != nil {
		return nil, err
	}

	dbUserArn := func(user string) pulumi.StringOutput {
		return pulumi.Sprintf("arn:aws:rds-db:%s:%s:dbuser:%s/%s", args.Region, args.AccountID, args.DBClusterResourceID, user)
	}
	cacheStmt := iampolicy.Statement{Sid: "ConnectCache", Actions: []string{"elasticache:Connect"},
		Resources: []pulumi.StringInput{args.CacheArn, args.CacheUserArn}}

	procCfg := args.Config.Processor
	c.Processor, err = newService(ctx, name, cluster, args, serviceSpec{
		name: ProcessorName, image: args.ProcessorImage, cfg: procCfg, subnets: args.PrivateSubnetIDs,
		securityGroupID: args.SecurityGroups.ProcessorID,
		env: withStoreEnv(args, args.DBEndpoint, procCfg.DBUser, map[string]pulumi.StringInput{
			"HIPAA_STREAM_ARN": args.StreamArn, "HIPAA_STREAM_NAME": args.StreamName,
		}),
		secrets: args.ProcessorSecrets,
		statements: []iampolicy.Statement{
			{Sid: "ReadStream", Actions: []string{
				"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
				"kinesis:ListShards", "kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer", "kinesis:RegisterStreamConsumer",
			}, Resources: []pulumi.StringInput{args.StreamArn, pulumi.Sprintf("%s/consumer/*", args.StreamArn)}},
			{Sid: "DecryptStream", Actions: []string{"kms:Decrypt"}, Resources: []pulumi.StringInput{args.StreamKmsKeyArn}},
			{Sid: "ConnectDatabase", Actions: []string{"rds-db:connect"}, Resources: []pulumi.StringInput{dbUserArn(procCfg.DBUser)}},
			cacheStmt,
		},
	}, parent)
	if err != nil {
		return nil, err
	}
	iterPolicy, err := appautoscaling.NewPolicy(ctx, naming.Logical(name, ProcessorName, "scale-iterator-age"), &appautoscaling.PolicyArgs{
		Name:              pulumi.String(n.Physical(ProcessorName, "iterator-age")),
		PolicyType:        pulumi.String("TargetTrackingScaling"),
		ResourceId:        c.Processor.ScalingTarget.ResourceId,
		ScalableDimension: c.Processor.ScalingTarget.ScalableDimension,
		ServiceNamespace:  c.Processor.ScalingTarget.ServiceNamespace,
		TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
			TargetValue: pulumi.Float64(float64(args.Config.IteratorAgeTargetMs)),
			CustomizedMetricSpecification: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationArgs{
				Namespace:  pulumi.String("AWS/Kinesis"),
				MetricName: pulumi.String(IteratorAgeMetric),
				Statistic:  pulumi.String("Maximum"),
				Unit:       pulumi.String("Milliseconds"),
				Dimensions: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensionArray{
					appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationDimensionArgs{
						Name: pulumi.String("StreamName"), Value: args.StreamName,
					},
				},
			},
			ScaleInCooldown:  pulumi.Int(ScaleInCooldownSecs),
			ScaleOutCooldown: pulumi.Int(ScaleOutCooldownSecs),
		},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("compute: iterator age policy: %w", err)
	}
	c.Processor.Policies = append(c.Processor.Policies, iterPolicy)

	readCfg := args.Config.ReadAPI
	c.ReadAPI, err = newService(ctx, name, cluster, args, serviceSpec{
		name: ReadAPIName, image: args.ReadAPIImage, cfg: readCfg, subnets: args.PrivateSubnetIDs,
		securityGroupID: args.SecurityGroups.ReadAPIID, port: ReadAPIPort, targetGroupArn: args.ReadAPITargetGroupArn,
		env: withStoreEnv(args, args.DBReaderEndpoint, readCfg.DBUser, map[string]pulumi.StringInput{
			"HIPAA_LISTEN_ADDR": pulumi.String(":" + strconv.Itoa(ReadAPIPort)),
		}),
		secrets: args.ReadAPISecrets,
		statements: []iampolicy.Statement{
			{Sid: "ConnectDatabase", Actions: []string{"rds-db:connect"}, Resources: []pulumi.StringInput{dbUserArn(readCfg.DBUser)}},
			cacheStmt,
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clusterName": cluster.Name, "processorService": c.Processor.Service.Name, "readApiService": c.ReadAPI.Service.Name,
	}); err != nil {
		return nil, fmt.Errorf("compute: register outputs: %w", err)
	}
	return c, nil
}

// withStoreEnv adds the non-secret settings both services read (services/internal/runtimecfg and
// the service mains) to a service's own: region, database endpoint/name/user with TLS
// verify-full against the RDS CA bundle in the image, the cache's host:port, user and TLS. No
// name looks like a credential (the pack's ecs-task-definition-no-plaintext-secrets);
// credentials come only through the secrets list.
func withStoreEnv(args Args, dbHost pulumi.StringInput, dbUser string, env map[string]pulumi.StringInput) map[string]pulumi.StringInput {
	env["AWS_REGION"] = pulumi.String(args.Region)
	env["HIPAA_DB_HOST"] = dbHost
	env["HIPAA_DB_PORT"] = pulumi.String(strconv.Itoa(DatabasePort))
	env["HIPAA_DB_NAME"] = pulumi.String(args.DBName)
	env["HIPAA_DB_USER"] = pulumi.String(dbUser)
	env["HIPAA_DB_SSLMODE"] = pulumi.String("verify-full")
	env["HIPAA_DB_SSLROOTCERT"] = pulumi.String(RDSCABundlePath)
	env["HIPAA_REDIS_ADDR"] = pulumi.Sprintf("%s:%d", args.CacheEndpoint, CachePort)
	env["HIPAA_REDIS_USER"] = pulumi.String(args.CacheUserName)
	env["HIPAA_REDIS_TLS"] = pulumi.String("true")
	return env
}

type serviceSpec struct {
	name            string
	image           string
	cfg             config.ServiceConfig
	subnets         pulumi.StringArrayInput
	securityGroupID pulumi.StringInput
	port            int
	targetGroupArn  pulumi.StringInput
	env             map[string]pulumi.StringInput
	secrets         map[string]pulumi.StringInput
	statements      []iampolicy.Statement
}

var ecrImage = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/([^:@]+)`)

// ECRRepositoryArn returns the ECR repository ARN of an image URI, or "" for other registries.
func ECRRepositoryArn(image string) string {
	m := ecrImage.FindStringSubmatch(image)
	if m == nil {
		return ""
	}
	return fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", m[2], m[1], m[3])
}

func newService(ctx *pulumi.Context, name string, cluster *ecs.Cluster, args Args, s serviceSpec, parent pulumi.ResourceOption) (*Service, error) {
	n := args.Namer
	out := &Service{}
	fail := func(what string, err error) (*Service, error) {
		return nil, fmt.Errorf("compute: %s %s: %w", s.name, what, err)
	}
	lg, err := logging.NewLogGroup(ctx, naming.Logical(name, s.name, "logs"), args.Logs.Args("compute", s.name), parent)
	if err != nil {
		return fail("log group", err)
	}
	out.LogGroup = lg

	secretNames := sortedInputs(s.secrets)
	secretArns := make([]pulumi.StringInput, 0, len(secretNames))
	for _, k := range secretNames {
		secretArns = append(secretArns, s.secrets[k])
	}

	// Execution role: pull the image, write the service's logs, fetch its injected secrets.
	execStatements := []iampolicy.Statement{
		{Sid: "EcrAuth", Actions: []string{"ecr:GetAuthorizationToken"}, Resources: []pulumi.StringInput{pulumi.String("*")}},
		{Sid: "WriteLogs", Actions: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resources: []pulumi.StringInput{pulumi.Sprintf("%s:log-stream:*", lg.Arn)}},
	}
	if repo := ECRRepositoryArn(s.image); repo != "" {
		execStatements = append(execStatements, iampolicy.Statement{Sid: "PullImage",
			Actions:   []string{"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
			Resources: []pulumi.StringInput{pulumi.String(repo)}})
	}
	if len(secretArns) > 0 {
		execStatements = append(execStatements,
			iampolicy.Statement{Sid: "InjectSecrets", Actions: []string{"secretsmanager:GetSecretValue"}, Resources: secretArns},
			iampolicy.Statement{Sid: "DecryptSecrets", Actions: []string{"kms:Decrypt"}, Resources: []pulumi.StringInput{args.SecretsKmsKeyArn},
				Condition: map[string]any{"StringEquals": map[string]string{"kms:ViaService": "secretsmanager." + args.Region + ".amazonaws.com"}}})
	}
	execRole, err := roleWithPolicy(ctx, name, s.name+"-execution", n.Physical(s.name, "execution"),
		"ECS agent of the "+s.name+" tasks: image pull, logs, secret injection", args.AccountID, execStatements, parent)
	if err != nil {
		return fail("execution role", err)
	}
	out.ExecutionRole = execRole

	taskStatements := s.statements
	if len(secretArns) > 0 {
		taskStatements = append(taskStatements, iampolicy.Statement{Sid: "ReadOwnSecrets",
			Actions: []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}, Resources: secretArns})
	}
	taskRole, err := roleWithPolicy(ctx, name, s.name+"-task", n.Physical(s.name, "task"),
		"Application permissions of the "+s.name+" tasks", args.AccountID, taskStatements, parent)
	if err != nil {
		return fail("task role", err)
	}
	out.TaskRole = taskRole

	// Render the container definitions once every output they name is known.
	envNames := sortedInputs(s.env)
	var deps []any
	deps = append(deps, lg.Name)
	for _, k := range envNames {
		deps = append(deps, s.env[k])
	}
	for _, a := range secretArns {
		deps = append(deps, a)
	}
	defs := pulumi.All(deps...).ApplyT(func(v []any) (string, error) {
		spec := ContainerSpec{Name: s.name, Image: s.image, Port: s.port, Region: args.Region,
			LogGroup: v[0].(string), Environment: map[string]string{}, Secrets: map[string]string{}}
		for i, k := range envNames {
			spec.Environment[k] = v[1+i].(string)
		}
		for i, k := range secretNames {
			spec.Secrets[k] = v[1+len(envNames)+i].(string)
		}
		return ContainerDefinitions(spec)
	}).(pulumi.StringOutput)

	td, err := ecs.NewTaskDefinition(ctx, naming.Logical(name, s.name, "task"), &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(n.Physical(s.name)),
		RequiresCompatibilities: pulumi.ToStringArray([]string{"FARGATE"}),
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(strconv.Itoa(s.cfg.CPU)),
		Memory:                  pulumi.String(strconv.Itoa(s.cfg.MemoryMiB)),
		RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"), CpuArchitecture: pulumi.String("ARM64"),
		},
		ExecutionRoleArn:     execRole.Arn,
		TaskRoleArn:          taskRole.Arn,
		ContainerDefinitions: defs,
		Volumes:              ecs.TaskDefinitionVolumeArray{ecs.TaskDefinitionVolumeArgs{Name: pulumi.String("tmp")}},
		Tags:                 n.Tags(s.name),
	}, parent, pulumi.DependsOn(args.ImageRepositories))
	if err != nil {
		return fail("task definition", err)
	}
	out.TaskDefinition = td

	sa := &ecs.ServiceArgs{
		Name:            pulumi.String(n.Physical(s.name)),
		Cluster:         cluster.Arn,
		TaskDefinition:  td.Arn,
		DesiredCount:    pulumi.Int(s.cfg.MinTasks),
		LaunchType:      pulumi.String("FARGATE"),
		PlatformVersion: pulumi.String("LATEST"),
		NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
			Subnets:        s.subnets,
			SecurityGroups: pulumi.StringArray{s.securityGroupID},
			AssignPublicIp: pulumi.Bool(false),
		},
		DeploymentCircuitBreaker:        &ecs.ServiceDeploymentCircuitBreakerArgs{Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true)},
		DeploymentMinimumHealthyPercent: pulumi.Int(100),
		DeploymentMaximumPercent:        pulumi.Int(200),
		AvailabilityZoneRebalancing:     pulumi.String("ENABLED"),
		EnableExecuteCommand:            pulumi.Bool(false),
		EnableEcsManagedTags:            pulumi.Bool(true),
		PropagateTags:                   pulumi.String("SERVICE"),
		Tags:                            n.Tags(s.name),
	}
	if s.targetGroupArn != nil {
		sa.LoadBalancers = ecs.ServiceLoadBalancerArray{ecs.ServiceLoadBalancerArgs{
			TargetGroupArn: s.targetGroupArn, ContainerName: pulumi.String(s.name), ContainerPort: pulumi.Int(s.port),
		}}
		sa.HealthCheckGracePeriodSeconds = pulumi.Int(60)
	}
	// Auto scaling owns the desired count after creation.
	svc, err := ecs.NewService(ctx, naming.Logical(name, s.name, "service"), sa, parent, pulumi.IgnoreChanges([]string{"desiredCount"}))
	if err != nil {
		return fail("service", err)
	}
	out.Service = svc

	target, err := appautoscaling.NewTarget(ctx, naming.Logical(name, s.name, "scaling-target"), &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String(ScalableDimension),
		// The resource ID names the cluster by its NAME, not its ARN.
		ResourceId:  pulumi.Sprintf("service/%s/%s", cluster.Name, svc.Name),
		MinCapacity: pulumi.Int(s.cfg.MinTasks),
		MaxCapacity: pulumi.Int(s.cfg.MaxTasks),
		Tags:        n.Tags(s.name, "scaling"),
	}, parent)
	if err != nil {
		return fail("scaling target", err)
	}
	out.ScalingTarget = target
	cpu, err := appautoscaling.NewPolicy(ctx, naming.Logical(name, s.name, "scale-cpu"), &appautoscaling.PolicyArgs{
		Name:              pulumi.String(n.Physical(s.name, "cpu")),
		PolicyType:        pulumi.String("TargetTrackingScaling"),
		ResourceId:        target.ResourceId,
		ScalableDimension: target.ScalableDimension,
		ServiceNamespace:  target.ServiceNamespace,
		TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
			TargetValue: pulumi.Float64(float64(s.cfg.CPUTargetPercent)),
			PredefinedMetricSpecification: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String(CPUPredefinedMetric),
			},
			ScaleInCooldown:  pulumi.Int(ScaleInCooldownSecs),
			ScaleOutCooldown: pulumi.Int(ScaleOutCooldownSecs),
		},
	}, parent)
	if err != nil {
		return fail("cpu scaling policy", err)
	}
	out.Policies = append(out.Policies, cpu)
	return out, nil
}

// roleWithPolicy creates a role assumable by ECS tasks with one customer-managed policy.
func roleWithPolicy(ctx *pulumi.Context, name, part, physical, desc, account string, statements []iampolicy.Statement, parent pulumi.ResourceOption) (*iam.Role, error) {
	role, err := iam.NewRole(ctx, naming.Logical(name, part, "role"), &iam.RoleArgs{
		Name:             pulumi.String(physical),
		Description:      pulumi.String(desc),
		AssumeRolePolicy: pulumi.String(iampolicy.AssumeRole("ecs-tasks.amazonaws.com", account)),
		Tags:             pulumi.StringMap{"Name": pulumi.String(physical)},
	}, parent)
	if err != nil {
		return nil, err
	}
	pol, err := iam.NewPolicy(ctx, naming.Logical(name, part, "policy"), &iam.PolicyArgs{
		Name:        pulumi.String(physical),
		Description: pulumi.String(desc),
		Policy:      iampolicy.Document(statements...),
		Tags:        pulumi.StringMap{"Name": pulumi.String(physical)},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, naming.Logical(name, part, "attachment"), &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: pol.Arn,
	}, parent); err != nil {
		return nil, err
	}
	return role, nil
}

// egressRules gives both task groups exactly the egress they need: PostgreSQL to the database
// group, Redis to the cache group, HTTPS to the VPC's interface endpoints and the S3 prefix list.
func egressRules(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	groups := []struct {
		part string
		id   pulumi.StringInput
	}{{ProcessorName, args.SecurityGroups.ProcessorID}, {ReadAPIName, args.SecurityGroups.ReadAPIID}}
	for _, g := range groups {
		rules := []struct {
			to   string
			port int
			args vpc.SecurityGroupEgressRuleArgs
		}{
			{"database", DatabasePort, vpc.SecurityGroupEgressRuleArgs{ReferencedSecurityGroupId: args.DBSecurityGroupID}},
			{"cache", CachePort, vpc.SecurityGroupEgressRuleArgs{ReferencedSecurityGroupId: args.CacheSecurityGroupID}},
			{"endpoints", HTTPSPort, vpc.SecurityGroupEgressRuleArgs{CidrIpv4: args.VpcCidr}},
		}
		if args.S3PrefixListID != nil {
			rules = append(rules, struct {
				to   string
				port int
				args vpc.SecurityGroupEgressRuleArgs
			}{"s3", HTTPSPort, vpc.SecurityGroupEgressRuleArgs{PrefixListId: args.S3PrefixListID}})
		}
		for _, r := range rules {
			a := r.args
			a.SecurityGroupId = g.id
			a.IpProtocol = pulumi.String("tcp")
			a.FromPort = pulumi.Int(r.port)
			a.ToPort = pulumi.Int(r.port)
			a.Description = pulumi.String(fmt.Sprintf("%s to %s on %d", g.part, r.to, r.port))
			a.Tags = args.Namer.Tags(g.part, "to", r.to)
			if _, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Logical(name, g.part, "egress", r.to), &a, parent); err != nil {
				return fmt.Errorf("compute: %s egress to %s: %w", g.part, r.to, err)
			}
		}
	}
	return nil
}

func sortedInputs(m map[string]pulumi.StringInput) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
