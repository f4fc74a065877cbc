package audit

// SecurityAlarm is a CloudWatch Logs metric filter on the CloudTrail log group and the alarm
// that notifies the security topic when it matches. The patterns follow the CIS AWS
// Foundations Benchmark monitoring section.
type SecurityAlarm struct {
	// ID is the kebab-case name part (logical and physical names).
	ID string
	// Metric is the metric name in the security namespace.
	Metric string
	// Description says what happened and why it matters.
	Description string
	// Pattern is the CloudWatch Logs filter pattern over CloudTrail events.
	Pattern string
}

// MetricNamespace is the CloudWatch namespace of the security metrics.
const MetricNamespace = "HIPAA/Security"

// SecurityAlarms are the security events watched on the trail (164.308(a)(1)(ii)(D) information
// system activity review, 164.308(a)(6)(ii) security incident response, 164.312(b) audit controls).
var SecurityAlarms = []SecurityAlarm{
	{
		ID: "unauthorized-api-calls", Metric: "UnauthorizedAPICalls",
		Description: "API calls denied for lack of authorization (probing or a misconfigured role)",
		Pattern:     `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
	},
	{
		ID: "console-signin-failures", Metric: "ConsoleSignInFailures",
		Description: "Failed AWS console sign-ins (credential guessing)",
		Pattern:     `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`,
	},
	{
		ID: "root-account-usage", Metric: "RootAccountUsage",
		Description: "The account root user was used",
		Pattern:     `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`,
	},
	{
		ID: "kms-key-disable-or-deletion", Metric: "KMSKeyDisableOrDeletion",
		Description: "A KMS key was disabled or scheduled for deletion (PHI encrypted with it would become unreadable)",
		Pattern:     `{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }`,
	},
	{
		ID: "security-group-changes", Metric: "SecurityGroupChanges",
		Description: "A security group or its rules changed",
		Pattern: `{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ` +
			`($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ` +
			`($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }`,
	},
	{
		ID: "nacl-changes", Metric: "NetworkACLChanges",
		Description: "A network ACL or its entries changed",
		Pattern: `{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ` +
			`($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }`,
	},
	{
		ID: "network-gateway-changes", Metric: "NetworkGatewayChanges",
		Description: "An internet, NAT or customer gateway was created, attached, detached or deleted",
		Pattern: `{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ` +
			`($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) || ` +
			`($.eventName = CreateNatGateway) || ($.eventName = DeleteNatGateway) }`,
	},
	{
		ID: "route-table-changes", Metric: "RouteTableChanges",
		Description: "A route or route table changed (an isolated subnet could gain a route out)",
		Pattern: `{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ` +
			`($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ` +
			`($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }`,
	},
	{
		ID: "vpc-changes", Metric: "VPCChanges",
		Description: "A VPC, its attributes or its peering changed",
		Pattern: `{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ` +
			`($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ` +
			`($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ` +
			`($.eventName = CreateVpcEndpoint) || ($.eventName = DeleteVpcEndpoints) || ($.eventName = ModifyVpcEndpoint) }`,
	},
	{
		ID: "cloudtrail-changes", Metric: "CloudTrailChanges",
		Description: "A trail was created, changed, stopped or deleted (the audit record itself)",
		Pattern: `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ` +
			`($.eventName = StartLogging) || ($.eventName = StopLogging) || ($.eventName = PutEventSelectors) }`,
	},
}
