package main

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// checkFile runs `hipaa-audit check --format json` with the real registry on a file of
// policypack/testdata.
func checkFile(t *testing.T, name string) (int, evaluate.Report) {
	t.Helper()
	code, stdout, stderr := runCmd("check", "--format", "json", "../../testdata/"+name)
	require.Contains(t, []int{exitOK, exitMandatory}, code, stderr)
	var r evaluate.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	return code, r
}

func pairs(fs []evaluate.Finding, status policy.Status, level policy.Enforcement) []string {
	var out []string
	for _, f := range fs {
		if f.Status == status && f.Enforcement == level {
			out = append(out, f.Policy+" "+f.Name)
		}
	}
	sort.Strings(out)
	return out
}

func TestCheckRealPackCompliant(t *testing.T) {
	code, r := checkFile(t, "compliant.json")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, 46, r.Resources)
	assert.Equal(t, 0, r.Summary.Mandatory)
	assert.Equal(t, 0, r.Summary.Fail, "no policy fails on the compliant stack: %v", r.Findings)
	assert.Positive(t, r.Summary.Pass)
}

func TestCheckRealPackNonCompliant(t *testing.T) {
	code, r := checkFile(t, "noncompliant.json")
	assert.Equal(t, exitMandatory, code)
	// One break per resource of the compliant stack (see testdata/README.md), each caught by
	// the policy for it; a key without rotation is also reported on every data store using it
	// (the standalone DB instance too), and a repository with mutable tags on the task
	// definition running a tag of it.
	assert.Equal(t, []string{
		"apigateway-method-authorization-required api-vitals-post",
		"apigateway-method-settings-data-trace-disabled api-stage-settings",
		"apigatewayv2-route-authorization-required http-vitals-post",
		"cloudtrail-trail-log-file-validation-enabled audit-trail",
		"cloudwatch-log-group-retention-minimum audit-flow-logs",
		"ec2-security-group-no-public-ingress database-sg",
		"ec2-subnet-public-ip-disabled network-private-a",
		"ec2-vpc-flow-logs-enabled network-vpc",
		"ecr-repository-tags-immutable images-ingest",
		"ecs-service-autoscaling-target compute-ingest",
		"ecs-task-definition-image-pinned compute-ingest-task",
		"ecs-task-definition-not-privileged compute-ingest-task",
		"elasticache-replication-group-encrypted-at-rest cache-redis",
		"elasticache-transit-encryption-required cache-redis",
		"iam-policy-no-admin-statements compute-ingest-task-policy",
		"kinesis-stream-customer-key-encrypted stream-vitals",
		"kms-data-store-key-rotation-enabled api-signing-secret",
		"kms-data-store-key-rotation-enabled audit-bucket-sse",
		"kms-data-store-key-rotation-enabled audit-flow-logs",
		"kms-data-store-key-rotation-enabled audit-trail",
		"kms-data-store-key-rotation-enabled audit-trail-logs",
		"kms-data-store-key-rotation-enabled cache-redis",
		"kms-data-store-key-rotation-enabled database-cluster",
		"kms-data-store-key-rotation-enabled database-instance-1",
		"kms-data-store-key-rotation-enabled database-instance-2",
		"kms-data-store-key-rotation-enabled reports-db",
		"kms-key-rotation-enabled keys-data",
		"lambda-function-no-plaintext-secrets api-authorizer",
		"lambda-permission-source-arn-set api-authorizer-invoke",
		"lb-listener-http-redirects-to-https api-http-redirect",
		"rds-cluster-deletion-protection database-cluster",
		"rds-cluster-instance-not-publicly-accessible database-instance-2",
		"rds-cluster-multi-az database-cluster",
		"rds-cluster-parameter-group-force-ssl database-params",
		"rds-cluster-storage-encrypted database-cluster",
		"rds-instance-not-publicly-accessible reports-db",
		"rds-instance-storage-encrypted reports-db",
		"secretsmanager-secret-rotation-schedule api-signing-secret-rotation",
		"secretsmanager-secret-version-no-plaintext-value api-partner-key-value",
		"sns-topic-customer-key-encrypted alerts-topic",
		"wafv2-web-acl-logging-enabled api-waf",
	}, pairs(r.Findings, policy.Fail, policy.Mandatory))
	assert.Equal(t, 41, r.Summary.Mandatory)
	for _, f := range r.Findings {
		assert.NotEmpty(t, f.Controls, f.Policy)
		assert.NotEmpty(t, f.Message, f.Policy)
	}
}

func TestCheckRealPackStackExport(t *testing.T) {
	code, r := checkFile(t, "stack-export.json")
	assert.Equal(t, exitMandatory, code)
	assert.Equal(t, "prod", r.Stack.Name)
	assert.Equal(t, "carepulse", r.Stack.Project)
	assert.Equal(t, 7, r.Resources, "the stack and the provider are not analyzed")
	// The ciphertext masterPassword counts as present (and is never shown).
	assert.Equal(t, []string{
		"rds-cluster-master-password-managed database-cluster",
		"rds-cluster-storage-encrypted database-cluster",
	}, pairs(r.Findings, policy.Fail, policy.Mandatory))
	assert.Equal(t, 2, r.Summary.Mandatory)
}

func TestCheckRealPackPreview(t *testing.T) {
	code, r := checkFile(t, "preview.json")
	assert.Equal(t, exitOK, code, "values unknown at preview never block")
	assert.Equal(t, 0, r.Summary.Fail)
	assert.Contains(t, pairs(r.Findings, policy.Undetermined, policy.Advisory), "rds-cluster-storage-encrypted database-cluster")
	assert.Equal(t, 0, r.Summary.Mandatory)
	for _, f := range r.Findings {
		assert.Contains(t, f.Message, "cannot be verified", f.Policy)
	}
}
