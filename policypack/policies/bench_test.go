package policies_test

import (
	"fmt"
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// bigStack repeats the good stack n times (names suffixed, dependencies kept inside each copy).
func bigStack(n int) []policy.Resource {
	var rs []pt.Res
	for i := range n {
		for _, r := range goodStack() {
			r.Name = fmt.Sprintf("%s-%d", r.Name, i)
			deps := map[string][]string{}
			for k, names := range r.Deps {
				for _, d := range names {
					deps[k] = append(deps[k], fmt.Sprintf("%s-%d", d, i))
				}
			}
			r.Deps = deps
			rs = append(rs, r)
		}
	}
	return pt.BuildStack("", rs)
}

// BenchmarkAllGoPolicies runs every Go policy (resource-level on each matching resource, and
// stack-level once) over a stack of about 10,000 resources.
func BenchmarkAllGoPolicies(b *testing.B) {
	rs := bigStack(10000 / len(goodStack()))
	all := policies.All()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range all {
			env := pt.Env(p, "", nil)
			if p.Stack != nil {
				p.Stack(env, rs)
				continue
			}
			for _, r := range rs {
				if p.Applies(r.Type) {
					p.Resource(env, r)
				}
			}
		}
	}
	b.ReportMetric(float64(len(rs)), "resources/op")
}
