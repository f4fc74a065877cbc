package rds_test

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// serverlessCases are shared by the production and advisory twins; stack is where they apply.
func serverlessCases(stack string) []pt.Case {
	return []pt.Case{
		{Name: "min capacity zero", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": 0}, Want: policy.Fail, Msg: "serverlessv2ScalingConfiguration.minCapacity is 0"},
		{Name: "auto pause", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.secondsUntilAutoPause": 600}, Want: policy.Fail, Msg: "secondsUntilAutoPause is 600"},
		{Name: "not serverless v2", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration": pt.Missing}, Want: policy.NotApplicable, Msg: "serverlessv2ScalingConfiguration is not set"},
		{Name: "min capacity unknown", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Unknown}, Want: policy.Undetermined, Msg: "serverlessv2ScalingConfiguration.minCapacity cannot be verified"},
		{Name: "min capacity unknown but pause set fails", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Unknown, "serverlessv2ScalingConfiguration.secondsUntilAutoPause": 300}, Want: policy.Fail, Msg: "secondsUntilAutoPause is 300"},
		{Name: "config unknown", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration": pt.Unknown}, Want: policy.Undetermined, Msg: "serverlessv2ScalingConfiguration cannot be verified"},
		{Name: "min capacity string zero", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Wrong("0")}, Want: policy.Fail, Msg: "minCapacity is 0"},
		{Name: "min capacity bool", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Wrong(false)}, Want: policy.Undetermined, Msg: "minCapacity is of type bool"},
		{Name: "secret min capacity", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Secret(0)}, Want: policy.Fail, Msg: "minCapacity is 0"},
	}
}
