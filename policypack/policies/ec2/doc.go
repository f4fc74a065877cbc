// Package ec2 holds the policies on VPCs, subnets, routes, default security groups, flow logs
// and managed prefix lists.
package ec2
