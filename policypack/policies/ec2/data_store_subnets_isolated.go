package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// DataStoreSubnetsIsolated: Aurora and ElastiCache live only in subnets without a route to an
// internet gateway (stack-level).
var DataStoreSubnetsIsolated = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ec2-data-store-subnets-isolated",
		Title: "Aurora and ElastiCache subnet groups use only subnets without a route to an internet gateway",
		Description: "A data store in a subnet whose route table sends 0.0.0.0/0 or ::/0 to an " +
			"internet gateway is one security-group or publiclyAccessible mistake away from the " +
			"internet. Stack-level: each subnet of every aws:rds/subnetGroup and " +
			"aws:elasticache/subnetGroup is followed to its route table (aws:ec2/routeTableAssociation, " +
			"else the VPC's main route table) and its routes (inline or aws:ec2/route). A subnet, " +
			"route table or gateway that cannot be resolved makes the verdict undetermined. " +
			"Clusters and replication groups without a subnet group use the default VPC, whose " +
			"subnets are public.",
		Severity:    policy.SeverityCritical,
		Enforcement: policy.Mandatory,
		Controls: []string{
			"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)",
		},
		ResourceTypes: []string{
			awstypes.RDSSubnetGroup, awstypes.ElastiCacheSubnetGroup, awstypes.RDSCluster,
			awstypes.ElastiCacheReplicationGroup, awstypes.EC2Subnet, awstypes.EC2RouteTable,
			awstypes.EC2DefaultRouteTable, awstypes.EC2Route, awstypes.EC2RouteTableAssociation,
			awstypes.EC2MainRouteTableAssociation, awstypes.EC2InternetGateway,
		},
		Remediation: "Put data stores in isolated (or NAT-only) subnets: the subnet group's subnets must be associated with route tables that have no 0.0.0.0/0 or ::/0 route to an internet gateway.",
		References: []string{
			"https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
			"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html",
		},
		Engine: policy.EngineGo,
	},
	Stack: dataStoreSubnetsIsolated,
}

type network struct {
	s            *stackref.Stack
	subnets      []policy.Resource
	tables       []policy.Resource
	routes       []policy.Resource
	associations []policy.Resource
	mains        []policy.Resource
	gateways     []policy.Resource
}

func dataStoreSubnetsIsolated(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	n := network{
		s:            s,
		subnets:      s.OfType(awstypes.EC2Subnet),
		tables:       s.OfType(awstypes.EC2RouteTable, awstypes.EC2DefaultRouteTable),
		routes:       s.OfType(awstypes.EC2Route),
		associations: s.OfType(awstypes.EC2RouteTableAssociation),
		mains:        s.OfType(awstypes.EC2MainRouteTableAssociation),
		gateways:     s.OfType(awstypes.EC2InternetGateway),
	}
	var out []policy.StackResult
	for _, g := range s.OfType(awstypes.RDSSubnetGroup, awstypes.ElastiCacheSubnetGroup) {
		out = append(out, policy.StackResult{URN: g.URN, Result: n.judgeGroup(g)})
	}
	for _, ds := range s.OfType(awstypes.RDSCluster, awstypes.ElastiCacheReplicationGroup) {
		prop := "dbSubnetGroupName"
		if ds.Type == awstypes.ElastiCacheReplicationGroup {
			prop = "subnetGroupName"
		}
		_, present, res := check.String(ds.Properties, prop)
		switch {
		case res != nil && len(ds.PropertyDependencies[prop]) == 0:
			out = append(out, policy.StackResult{URN: ds.URN, Result: *res})
		case res == nil && !present:
			out = append(out, policy.StackResult{URN: ds.URN, Result: policy.Failed(
				"%s is not set: the data store is placed in the default subnet group of the default VPC, whose subnets route to an internet gateway", prop)})
		}
	}
	return out
}

func (n network) judgeGroup(g policy.Resource) policy.Result {
	refs, present, res := check.Strings(g.Properties, "subnetIds")
	deps := g.PropertyDependencies["subnetIds"]
	switch {
	case res != nil && len(deps) == 0:
		return *res
	case res == nil && (!present || len(refs) == 0):
		return policy.Failed("subnetIds is empty")
	}
	// Property dependencies name the subnets whose IDs fill subnetIds: during preview the IDs
	// are unknown, and in a state file they are the subnets' cloud IDs, which are not among
	// their inputs.
	var subnets []policy.Resource
	for _, sn := range n.subnets {
		if slices.Contains(deps, sn.URN) {
			subnets = append(subnets, sn)
		}
	}
	var unresolved []string
	if res == nil {
		for _, ref := range refs {
			if slices.ContainsFunc(subnets, func(sn policy.Resource) bool { return n.s.Matches(ref, sn) }) {
				continue
			}
			i := slices.IndexFunc(n.subnets, func(sn policy.Resource) bool { return n.s.Matches(ref, sn) })
			if i < 0 {
				unresolved = append(unresolved, fmt.Sprintf("subnet %s is not defined in this stack; its routes cannot be verified", check.Show(g.Properties, "subnetIds", ref)))
				continue
			}
			subnets = append(subnets, n.subnets[i])
		}
		// Every reference is accounted for when the dependencies name as many subnets as there
		// are references: the unmatched values are those subnets' IDs.
		if len(unresolved) > 0 && len(subnets) >= len(refs) {
			unresolved = nil
		}
	} else if len(subnets) == 0 {
		return *res
	}
	results := []policy.Result{policy.Passed()}
	for _, msg := range unresolved {
		results = append(results, policy.UndeterminedBecause("subnetIds: %s", msg))
	}
	for _, sn := range subnets {
		results = append(results, n.judgeSubnet(sn))
	}
	return policy.Merge(results...)
}

// judgeSubnet follows a subnet to its route table and looks for an internet route.
func (n network) judgeSubnet(sn policy.Resource) policy.Result {
	assocs, unresolvedAssocs := n.s.ReferredBy(sn, n.associations, "subnetId")
	var tables []policy.Resource
	for _, a := range assocs {
		t, unk := n.s.Refs(a, "routeTableId", n.tables)
		if len(t) == 0 {
			if unk {
				return policy.UndeterminedBecause("routeTableId of association %s (subnet %s) cannot be verified until the value is known", a.Name, sn.Name)
			}
			return policy.UndeterminedBecause("association %s of subnet %s names a route table not defined in this stack; its routes cannot be verified", a.Name, sn.Name)
		}
		tables = append(tables, t...)
	}
	if len(tables) == 0 {
		if len(unresolvedAssocs) > 0 {
			return policy.UndeterminedBecause("subnetId of route table association %s cannot be verified until the value is known, so subnet %s's route table is not known", unresolvedAssocs[0].Name, sn.Name)
		}
		main, res := n.mainTable(sn)
		if res != nil {
			return *res
		}
		if main == nil {
			return policy.Passed() // the VPC's own main route table has only the local route
		}
		tables = append(tables, *main)
	}
	results := []policy.Result{policy.Passed()}
	for _, t := range tables {
		results = append(results, n.judgeTable(sn, t))
	}
	return policy.Merge(results...)
}

// mainTable finds the main route table declared for the subnet's VPC, if any.
func (n network) mainTable(sn policy.Resource) (*policy.Resource, *policy.Result) {
	vpcs, _ := n.s.Refs(sn, "vpcId", n.s.OfType(awstypes.EC2VPC))
	for _, vpc := range vpcs {
		mains, _ := n.s.ReferredBy(vpc, n.mains, "vpcId")
		for _, m := range mains {
			t, _ := n.s.Refs(m, "routeTableId", n.tables)
			if len(t) > 0 {
				return &t[0], nil
			}
			u := policy.UndeterminedBecause("the main route table of subnet %s's VPC (association %s) cannot be resolved", sn.Name, m.Name)
			return nil, &u
		}
		defaults, _ := n.s.ReferredBy(vpc, n.s.OfType(awstypes.EC2DefaultRouteTable), "vpcId")
		if len(defaults) > 0 {
			return &defaults[0], nil
		}
	}
	return nil, nil
}

// judgeTable fails when the table routes 0.0.0.0/0 or ::/0 to an internet gateway.
func (n network) judgeTable(sn, t policy.Resource) policy.Result {
	results := []policy.Result{policy.Passed()}
	inline, _, res := check.Objects(t.Properties, "routes")
	if res != nil {
		results = append(results, *check.Within("route table "+t.Name+": ", res))
	}
	for i, r := range inline {
		dest := routeDestination(r, "cidrBlock", "ipv6CidrBlock")
		// Inline routes share the table's dependencies on gateways.
		results = append(results, n.judgeRoute(sn, t, fmt.Sprintf("routes[%d]", i), dest, r, t.PropertyDependencies["routes"]))
	}
	explicit, unresolved := n.s.ReferredBy(t, n.routes, "routeTableId")
	for _, r := range explicit {
		dest := routeDestination(r.Properties, "destinationCidrBlock", "destinationIpv6CidrBlock")
		results = append(results, n.judgeRoute(sn, t, "route "+r.Name, dest, r.Properties, r.PropertyDependencies["gatewayId"]))
	}
	for _, r := range unresolved {
		if dest := routeDestination(r.Properties, "destinationCidrBlock", "destinationIpv6CidrBlock"); dest != "" && n.toInternet(r.Properties, r.PropertyDependencies["gatewayId"]) != "no" {
			results = append(results, policy.UndeterminedBecause("routeTableId of route %s cannot be verified until the value is known; it may give subnet %s a default route to an internet gateway", r.Name, sn.Name))
		}
	}
	return policy.Merge(results...)
}

// routeDestination returns the default destination (0.0.0.0/0 or ::/0) of a route, or "".
func routeDestination(m resource.PropertyMap, v4, v6 string) string {
	for _, p := range []string{v4, v6} {
		if d, st := props.String(m, p); st == props.Known && (d == "0.0.0.0/0" || d == "::/0") {
			return d
		}
	}
	return ""
}

func (n network) judgeRoute(sn, t policy.Resource, label, dest string, m resource.PropertyMap, deps []string) policy.Result {
	if dest == "" {
		return policy.Passed()
	}
	switch n.toInternet(m, deps) {
	case "yes":
		return policy.Failed("subnet %s uses route table %s whose %s sends %s to an internet gateway", sn.Name, t.Name, label, dest)
	case "unknown":
		return policy.UndeterminedBecause("gatewayId of %s in route table %s (subnet %s) cannot be verified until the value is known", label, t.Name, sn.Name)
	}
	return policy.Passed()
}

// toInternet says whether a route's gatewayId is an internet gateway: "yes", "no" or "unknown".
func (n network) toInternet(m resource.PropertyMap, deps []string) string {
	gw, st := props.String(m, "gatewayId")
	switch st {
	case props.Missing:
		return "no"
	case props.Known:
		if gw == "" {
			return "no"
		}
		if strings.HasPrefix(gw, "igw-") {
			return "yes"
		}
		for _, g := range n.gateways {
			if n.s.Matches(gw, g) {
				return "yes"
			}
		}
		return "no" // a virtual private gateway (vgw-) or local
	}
	if len(deps) > 0 {
		for _, g := range n.gateways {
			if slices.Contains(deps, g.URN) {
				return "yes"
			}
		}
		return "no"
	}
	return "unknown"
}
