package secretsmanager

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// MaxRotationDaysParam bounds the interval between rotations.
const MaxRotationDaysParam = "maxRotationDays"

// SecretRotationSchedule: secret rotations run at least every configured number of days.
var SecretRotationSchedule = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "secretsmanager-secret-rotation-schedule",
		Title: "Secrets Manager rotations run at least every configured number of days",
		Description: "Credentials to ePHI stores must change regularly so a leaked one stops working. " +
			"rotationRules.automaticallyAfterDays, or a scheduleExpression rate(N days|hours), must " +
			"be within the maximum; a cron() expression is bounded by its fields (daily, weekly or " +
			"monthly) and is undetermined when its month field restricts the months.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)"},
		ResourceTypes: []string{awstypes.SecretsManagerSecretRotation},
		Remediation:   "Set rotationRules.automaticallyAfterDays (or scheduleExpression rate(N days)) to at most the configured maximum (default 90).",
		References:    []string{refRotation, "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html"},
		Engine:        policy.EngineGo,
		Params: []policy.Param{{
			Name: MaxRotationDaysParam, Type: policy.ParamInteger, Default: 90,
			Description: "Largest allowed interval between secret rotations, in days.",
			Minimum:     policy.IntPtr(1),
		}},
	},
	Resource: secretRotationSchedule,
}

func secretRotationSchedule(env policy.Env, r policy.Resource) policy.Result {
	max := env.Int(MaxRotationDaysParam)
	if enabled, res := check.Bool(r.Properties, "rotationEnabled", true); res == nil && !enabled {
		return policy.Failed("rotationEnabled is false: the secret is not rotated")
	}
	days, present, res := check.Int(r.Properties, "rotationRules.automaticallyAfterDays")
	if res != nil {
		return *res
	}
	if present {
		if days > max {
			return policy.Failed("rotationRules.automaticallyAfterDays is %s, above the allowed maximum of %d days", check.Show(r.Properties, "rotationRules.automaticallyAfterDays", days), max)
		}
		return policy.Passed()
	}
	const path = "rotationRules.scheduleExpression"
	expr, present, res := check.String(r.Properties, path)
	if res != nil {
		return *res
	}
	if !present {
		return policy.Failed("rotationRules sets neither automaticallyAfterDays nor scheduleExpression: no rotation schedule")
	}
	interval, err := scheduleInterval(expr)
	if err != nil {
		return policy.UndeterminedBecause("%s cannot be interpreted: %v", path, err)
	}
	if interval > max {
		return policy.Failed("%s %s rotates every %d days, above the allowed maximum of %d", path, check.Show(r.Properties, path, expr), interval, max)
	}
	return policy.Passed()
}

var rateExpr = regexp.MustCompile(`^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$`)

// scheduleInterval bounds the days between two runs of a rate() or cron() expression. Errors
// never quote the expression.
func scheduleInterval(expr string) (int, error) {
	expr = strings.TrimSpace(expr)
	if m := rateExpr.FindStringSubmatch(expr); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0, fmt.Errorf("the rate value is not a number")
		}
		if strings.HasPrefix(m[2], "hour") {
			return (n + 23) / 24, nil
		}
		return n, nil
	}
	if strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")") {
		f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
		if len(f) != 6 {
			return 0, fmt.Errorf("a cron() expression has 6 fields, this one has %d", len(f))
		}
		any := func(s string) bool { return s == "*" || s == "?" }
		dom, month, dow := f[2], f[3], f[4]
		switch {
		case !any(month):
			return 0, fmt.Errorf("the cron month field restricts the months, so the interval cannot be bounded")
		case any(dom) && any(dow):
			return 1, nil
		case !any(dow):
			return 7, nil
		default:
			return 31, nil
		}
	}
	return 0, fmt.Errorf("it is neither a rate() nor a cron() expression")
}
