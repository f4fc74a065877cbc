package program_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

// componentOf returns the logical name of the top-level component a resource belongs to.
func componentOf(rec *mocktest.Recorded, r mocktest.Resource) string {
	byURN := map[string]mocktest.Resource{}
	for _, x := range rec.Resources {
		byURN[x.URN] = x
	}
	for r.Parent != "" {
		p, ok := byURN[r.Parent]
		if !ok {
			break
		}
		r = p
	}
	return r.Type + " " + r.Name
}

// inventory is a printable listing of a stack: per top-level component, the count of each
// resource type, then the totals per type.
func inventory(rec *mocktest.Recorded) (string, map[string]int) {
	perComponent := map[string]map[string]int{}
	total := map[string]int{}
	for _, r := range rec.Resources {
		if !r.Custom {
			continue
		}
		c := componentOf(rec, r)
		if perComponent[c] == nil {
			perComponent[c] = map[string]int{}
		}
		perComponent[c][r.Type]++
		total[c]++
	}
	comps := make([]string, 0, len(perComponent))
	for c := range perComponent {
		comps = append(comps, c)
	}
	sort.Strings(comps)
	var b strings.Builder
	for _, c := range comps {
		fmt.Fprintf(&b, "%s (%d resources)\n", c, total[c])
		types := make([]string, 0, len(perComponent[c]))
		for ty := range perComponent[c] {
			types = append(types, ty)
		}
		sort.Strings(types)
		for _, ty := range types {
			fmt.Fprintf(&b, "  %4d  %s\n", perComponent[c][ty], ty)
		}
	}
	b.WriteString("all types:\n")
	b.WriteString(rec.Summary())
	return b.String(), total
}

// TestInventory prints every resource of each stack under mocks, grouped by component (run it
// with `make inventory`), and pins the size of each data-plane component.
func TestInventory(t *testing.T) {
	want := map[string]map[string]int{
		"dev": {
			"hipaa:stream:Stream stream": 1, "hipaa:images:Images images": 4, "hipaa:compute:SecurityGroups app-sgs": 2,
			"hipaa:database:Database database": 10, "hipaa:cache:Cache cache": 10,
			// dev relies on prod's API Gateway account setting (apiGatewayAccountSettings external):
			// no account setting, CloudWatch role or its attachment.
			"hipaa:secrets:Secrets secrets": 2, "hipaa:api:Api api": 48, "hipaa:compute:Compute compute": 32,
		},
		"prod": {
			"hipaa:stream:Stream stream": 1, "hipaa:images:Images images": 4, "hipaa:compute:SecurityGroups app-sgs": 2,
			"hipaa:database:Database database": 11, "hipaa:cache:Cache cache": 10,
			"hipaa:secrets:Secrets secrets": 2, "hipaa:api:Api api": 51, "hipaa:compute:Compute compute": 32,
		},
	}
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := mocktest.RunStack(program.Run, stack)
			require.NoError(t, err)
			text, totals := inventory(rec)
			t.Logf("stack %s under mocks: %d resources (components included)\n%s", stack, len(rec.Resources), text)
			for comp, n := range want[stack] {
				assert.Equal(t, n, totals[comp], "%s in %s", comp, stack)
			}
		})
	}
}
