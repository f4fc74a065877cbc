package image

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCABundlePathMatchesTheTaskDefinitions reads the infrastructure's constant (another module of
// the workspace, so its source, not an import): the task definitions must point
// HIPAA_DB_SSLROOTCERT at the file the images carry, or verify-full against Aurora fails at start.
func TestCABundlePathMatchesTheTaskDefinitions(t *testing.T) {
	src := filepath.Join("..", "..", "infrastructure", "internal", "components", "compute", "compute.go")
	f, err := parser.ParseFile(token.NewFileSet(), src, nil, 0)
	require.NoError(t, err)
	var got string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if name.Name == "RDSCABundlePath" && i < len(vs.Values) {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok, "RDSCABundlePath is not a string literal")
				got, err = strconv.Unquote(lit.Value)
				require.NoError(t, err)
			}
		}
		return true
	})
	require.NotEmpty(t, got, "no RDSCABundlePath constant in %s", src)
	assert.Equal(t, CABundlePath, got)
}
