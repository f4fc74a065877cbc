// Package wafv2 holds the policies on WAF web ACLs.
package wafv2
