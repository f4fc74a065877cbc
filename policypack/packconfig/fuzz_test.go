package packconfig_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// FuzzParse: any config gives a configuration whose parameters have their declared types, or
// an error; never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"all": "advisory", "logs-group-retention-sufficient": {"enforcementLevel": "mandatory", "minDays": 400}}`))
	f.Add([]byte(`{"lb-listener-tls-required": {"allowedPolicies": ["a"], "strict": true, "label": "x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := packconfig.Parse(data, testPolicies())
		if err != nil {
			return
		}
		for _, p := range testPolicies() {
			pc := c.For(p.Metadata)
			env := policy.Env{Params: pc.Params}
			for _, prm := range p.Params {
				switch prm.Type {
				case policy.ParamInteger:
					env.Int(prm.Name)
				case policy.ParamString:
					env.String(prm.Name)
				case policy.ParamBoolean:
					env.Bool(prm.Name)
				case policy.ParamStrings:
					env.Strings(prm.Name)
				}
			}
		}
	})
}
