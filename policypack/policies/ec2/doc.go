// Package ec2 holds the policies on VPCs, subnets, routes, default security groups and flow
// logs.
package ec2
