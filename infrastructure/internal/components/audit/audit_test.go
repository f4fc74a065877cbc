package audit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

func TestSecurityAlarmsAreWellFormed(t *testing.T) {
	ids := map[string]bool{}
	metrics := map[string]bool{}
	for _, a := range SecurityAlarms {
		assert.True(t, naming.IsKebab(a.ID), a.ID)
		assert.False(t, ids[a.ID], "duplicate ID %s", a.ID)
		assert.False(t, metrics[a.Metric], "duplicate metric %s", a.Metric)
		ids[a.ID], metrics[a.Metric] = true, true
		assert.True(t, strings.HasPrefix(a.Pattern, "{ ") && strings.HasSuffix(a.Pattern, " }"), a.ID)
		assert.Equal(t, strings.Count(a.Pattern, "("), strings.Count(a.Pattern, ")"), "balanced parentheses in %s", a.ID)
		assert.NotEmpty(t, a.Description)
	}
	// The events the issue names, each watched.
	for id, event := range map[string]string{
		"unauthorized-api-calls":      "AccessDenied",
		"console-signin-failures":     "Failed authentication",
		"kms-key-disable-or-deletion": "ScheduleKeyDeletion",
		"security-group-changes":      "AuthorizeSecurityGroupIngress",
		"nacl-changes":                "CreateNetworkAclEntry",
		"network-gateway-changes":     "AttachInternetGateway",
		"route-table-changes":         "CreateRoute",
		"vpc-changes":                 "ModifyVpcAttribute",
	} {
		i := -1
		for j, a := range SecurityAlarms {
			if a.ID == id {
				i = j
			}
		}
		if assert.GreaterOrEqual(t, i, 0, id) {
			assert.Contains(t, SecurityAlarms[i].Pattern, event, id)
		}
	}
}

func TestNames(t *testing.T) {
	n := naming.New("prod")
	assert.Equal(t, "hipaa-trail-prod", TrailName(n))
	assert.Equal(t, "hipaa-audit-trail-111122223333-prod", BucketName(n, "111122223333"))
	assert.Equal(t, "arn:aws:cloudtrail:eu-west-1:111122223333:trail/hipaa-trail-prod", TrailArn(n, "111122223333", "eu-west-1"))
}

func TestTopicPolicy(t *testing.T) {
	d := TopicPolicy("arn:aws:sns:eu-west-1:111122223333:hipaa-security-alarms-prod", "111122223333")
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"CloudWatchAlarmsOfThisAccountPublish","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},
		 "Action":["sns:Publish"],"Resource":["arn:aws:sns:eu-west-1:111122223333:hipaa-security-alarms-prod"],
		 "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}},
		{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":{"AWS":"*"},"Action":["sns:Publish"],
		 "Resource":["arn:aws:sns:eu-west-1:111122223333:hipaa-security-alarms-prod"],
		 "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, d.MustJSON())
}
