package program_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

func TestStacksRunUnderMocks(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := mocktest.RunStack(program.Run, stack)
			require.NoError(t, err)
			require.Empty(t, rec.Calls, "the program makes no provider invokes")
			t.Logf("%s stack under mocks:\n%s", stack, rec.Summary())
		})
	}
}
