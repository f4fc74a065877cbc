package standin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// cloud computes what AWS would return for a resource: ids, ARNs, endpoints. Everything derives
// from the URN, so the same program gives the same ids on every run (stable evidence files).
type cloud struct {
	region      string
	defaultTags resource.PropertyMap
}

// idPrefixes are the prefixes of EC2-style ids.
var idPrefixes = map[string]string{
	"aws:ec2/vpc:Vpc":                                           "vpc-",
	"aws:ec2/subnet:Subnet":                                     "subnet-",
	"aws:ec2/securityGroup:SecurityGroup":                       "sg-",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":         "sg-",
	"aws:ec2/routeTable:RouteTable":                             "rtb-",
	"aws:ec2/internetGateway:InternetGateway":                   "igw-",
	"aws:ec2/natGateway:NatGateway":                             "nat-",
	"aws:ec2/eip:Eip":                                           "eipalloc-",
	"aws:ec2/vpcEndpoint:VpcEndpoint":                           "vpce-",
	"aws:ec2/flowLog:FlowLog":                                   "fl-",
	"aws:ec2/networkAcl:NetworkAcl":                             "acl-",
	"aws:ec2/defaultNetworkAcl:DefaultNetworkAcl":               "acl-",
	"aws:ec2/securityGroupRule:SecurityGroupRule":               "sgrule-",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   "sgr-",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":       "rtbassoc-",
	"aws:ec2/route:Route":                                       "r-",
}

// services maps a pulumi-aws module to the ARN service name where they differ.
var services = map[string]string{
	"cloudwatch": "logs", "lb": "elasticloadbalancing", "alb": "elasticloadbalancing",
	"vpc": "ec2", "appautoscaling": "application-autoscaling", "cognito": "cognito-idp",
}

// hash returns n hex characters derived from the URN and a salt.
func hash(urn resource.URN, salt string, n int) string {
	sum := sha256.Sum256([]byte(string(urn) + "\x00" + salt))
	return hex.EncodeToString(sum[:])[:n]
}

func uuidFrom(urn resource.URN) string {
	h := hash(urn, "uuid", 32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// str returns a known string input, or "".
func str(m resource.PropertyMap, key string) string {
	v := unwrap(m[resource.PropertyKey(key)])
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

// create returns the id and the output properties. In preview, computed attributes are unknown.
func (c cloud) create(urn resource.URN, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap) {
	typ := string(urn.Type())
	outs := inputs.Copy()
	set := func(k string, v any) {
		if _, given := outs[resource.PropertyKey(k)]; given {
			return
		}
		if preview {
			outs[resource.PropertyKey(k)] = resource.MakeComputed(resource.NewProperty(""))
			return
		}
		if pv, ok := v.(resource.PropertyValue); ok {
			outs[resource.PropertyKey(k)] = pv
			return
		}
		if l, ok := v.([]resource.PropertyValue); ok {
			outs[resource.PropertyKey(k)] = resource.NewProperty(l)
			return
		}
		outs[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}

	// Names: an explicit name wins, else a namePrefix gets a suffix, else the logical name does
	// (as the real provider's autonaming does).
	name := str(inputs, "name")
	if name == "" {
		if prefix := str(inputs, "namePrefix"); prefix != "" {
			name = prefix + hash(urn, "name", 8)
		} else {
			name = urn.Name() + "-" + hash(urn, "name", 7)
		}
	}
	id := c.id(urn, typ, name, inputs)
	arn := c.arn(urn, typ, name, id, inputs)
	set("name", name)
	set("arn", arn)
	c.typeOutputs(urn, typ, name, id, arn, inputs, set)
	outs["tagsAll"] = c.tagsAll(inputs)
	if preview {
		return "", outs
	}
	outs["id"] = resource.NewProperty(id)
	return id, outs
}

// tagsAll merges the provider's default tags and the resource's tags, like the real provider.
func (c cloud) tagsAll(inputs resource.PropertyMap) resource.PropertyValue {
	all := c.defaultTags.Copy()
	tags := unwrap(inputs["tags"])
	if tags.IsComputed() {
		return resource.MakeComputed(resource.NewProperty(""))
	}
	if tags.IsObject() {
		for k, v := range tags.ObjectValue() {
			all[k] = v
		}
	}
	return resource.NewProperty(all)
}

func (c cloud) id(urn resource.URN, typ, name string, inputs resource.PropertyMap) string {
	if prefix, ok := idPrefixes[typ]; ok {
		return prefix + hash(urn, "id", 17)
	}
	switch typ {
	case "aws:kms/key:Key":
		return uuidFrom(urn)
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		if b := str(inputs, "bucket"); b != "" {
			return b
		}
		if p := str(inputs, "bucketPrefix"); p != "" {
			return p + hash(urn, "bucket", 12)
		}
		return urn.Name() + "-" + hash(urn, "bucket", 12)
	case "aws:apigateway/restApi:RestApi", "aws:apigateway/resource:Resource", "aws:apigateway/deployment:Deployment",
		"aws:apigateway/authorizer:Authorizer":
		return hash(urn, "id", 10)
	case "aws:secretsmanager/secret:Secret", "aws:kinesis/stream:Stream", "aws:sns/topic:Topic":
		return c.arn(urn, typ, name, name, inputs)
	}
	for _, k := range []string{"bucket", "clusterIdentifier", "identifier", "replicationGroupId", "functionName"} {
		if v := str(inputs, k); v != "" {
			return v
		}
	}
	return name
}

func (c cloud) arn(urn resource.URN, typ, name, id string, inputs resource.PropertyMap) string {
	if strings.HasPrefix(id, "arn:") {
		return id
	}
	module, kind := moduleAndKind(typ)
	service := module
	if s, ok := services[module]; ok {
		service = s
	}
	region, acct := c.region, Account
	switch typ {
	case "aws:kms/key:Key":
		return fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, acct, uuidFrom(urn))
	case "aws:kms/alias:Alias":
		return fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, acct, name)
	case "aws:cloudwatch/logGroup:LogGroup":
		return fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, acct, name)
	case "aws:rds/cluster:Cluster":
		return fmt.Sprintf("arn:aws:rds:%s:%s:cluster:%s", region, acct, id)
	case "aws:rds/clusterInstance:ClusterInstance":
		return fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", region, acct, id)
	case "aws:secretsmanager/secret:Secret":
		return fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", region, acct, name, hash(urn, "secret", 6))
	case "aws:sns/topic:Topic", "aws:sqs/queue:Queue":
		return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, region, acct, name)
	case "aws:lambda/function:Function":
		return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, acct, name)
	case "aws:apigateway/restApi:RestApi":
		return fmt.Sprintf("arn:aws:apigateway:%s::/restapis/%s", region, id)
	case "aws:cloudtrail/trail:Trail":
		return fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, acct, name)
	}
	if module == "s3" {
		return "arn:aws:s3:::" + id
	}
	if module == "iam" {
		return fmt.Sprintf("arn:aws:iam::%s:%s/%s", acct, kebab(kind), name)
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", service, region, acct, kebab(kind), id)
}

// typeOutputs sets the attributes programs commonly read from a resource of this type.
func (c cloud) typeOutputs(urn resource.URN, typ, name, id, arn string, inputs resource.PropertyMap,
	set func(k string, v any),
) {
	region := c.region
	switch typ {
	case "aws:kms/key:Key":
		set("keyId", id)
	case "aws:ec2/vpc:Vpc":
		set("defaultSecurityGroupId", "sg-"+hash(urn, "default-sg", 17))
		set("mainRouteTableId", "rtb-"+hash(urn, "main-rtb", 17))
		set("defaultNetworkAclId", "acl-"+hash(urn, "default-acl", 17))
		set("defaultRouteTableId", "rtb-"+hash(urn, "main-rtb", 17))
		set("ownerId", Account)
	case "aws:ec2/eip:Eip":
		set("allocationId", id)
		set("publicIp", "198.51.100."+fmt.Sprint(1+int(hash(urn, "ip", 2)[0])%250))
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		set("prefixListId", "pl-"+hash(urn, "pl", 8))
	case "aws:lambda/function:Function":
		set("invokeArn", fmt.Sprintf("arn:aws:apigateway:%s:lambda:path/2015-03-31/functions/%s/invocations", region, arn))
		set("qualifiedArn", arn+":$LATEST")
		set("version", "$LATEST")
	case "aws:apigateway/restApi:RestApi":
		set("rootResourceId", hash(urn, "root", 10))
		set("executionArn", fmt.Sprintf("arn:aws:execute-api:%s:%s:%s", region, Account, id))
	case "aws:apigateway/stage:Stage":
		set("invokeUrl", fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/%s", str(inputs, "restApi"), region, str(inputs, "stageName")))
		set("executionArn", fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s", region, Account, str(inputs, "restApi"), str(inputs, "stageName")))
	case "aws:rds/cluster:Cluster":
		set("endpoint", fmt.Sprintf("%s.cluster-%s.%s.rds.amazonaws.com", id, hash(urn, "ep", 12), region))
		set("readerEndpoint", fmt.Sprintf("%s.cluster-ro-%s.%s.rds.amazonaws.com", id, hash(urn, "ep", 12), region))
		set("clusterResourceId", "cluster-"+strings.ToUpper(hash(urn, "res", 26)))
		set("port", 5432.0)
		if v := unwrap(inputs["manageMasterUserPassword"]); v.IsBool() && v.BoolValue() {
			// RDS creates and rotates the master user secret itself.
			secret := resource.PropertyMap{
				"secretArn": resource.NewProperty(fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s-%s",
					region, Account, uuidFrom(urn), hash(urn, "master-secret", 6))),
				"secretStatus": resource.NewProperty("active"),
				"kmsKeyId":     resource.NewProperty(str(inputs, "masterUserSecretKmsKeyId")),
			}
			set("masterUserSecrets", []resource.PropertyValue{resource.NewProperty(secret)})
		}
	case "aws:rds/clusterInstance:ClusterInstance":
		set("endpoint", fmt.Sprintf("%s.%s.%s.rds.amazonaws.com", id, hash(urn, "ep", 12), region))
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		set("primaryEndpointAddress", fmt.Sprintf("master.%s.%s.%s.cache.amazonaws.com", id, hash(urn, "ep", 6), region))
		set("readerEndpointAddress", fmt.Sprintf("replica.%s.%s.%s.cache.amazonaws.com", id, hash(urn, "ep", 6), region))
	case "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer":
		set("dnsName", fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", name, hash(urn, "dns", 8), region))
		set("arnSuffix", "app/"+name+"/"+hash(urn, "suffix", 16))
		set("zoneId", "Z32O12XQLNTSW2")
	case "aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup":
		set("arnSuffix", "targetgroup/"+name+"/"+hash(urn, "suffix", 16))
	case "aws:iam/role:Role":
		set("uniqueId", "AROA"+strings.ToUpper(hash(urn, "uid", 17)))
	case "aws:ecr/repository:Repository":
		set("registryId", Account)
		set("repositoryUrl", fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", Account, region, name))
	case "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecr/repositoryPolicy:RepositoryPolicy":
		set("registryId", Account)
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		set("bucket", id)
		set("bucketDomainName", id+".s3.amazonaws.com")
		set("bucketRegionalDomainName", fmt.Sprintf("%s.s3.%s.amazonaws.com", id, region))
	}
}

// moduleAndKind splits aws:kinesis/stream:Stream into "kinesis" and "Stream".
func moduleAndKind(typ string) (string, string) {
	t := tokens.Type(typ)
	module := string(t.Module().Name())
	if i := strings.Index(module, "/"); i >= 0 {
		module = module[:i]
	}
	return module, string(t.Name())
}

// kebab turns SecurityGroup into security-group.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('-')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
