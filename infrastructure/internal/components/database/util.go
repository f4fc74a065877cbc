package database

import (
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func sortedKeys(m map[string]pulumi.StringInput) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
