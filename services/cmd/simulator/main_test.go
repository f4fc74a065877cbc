package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

func TestEmitJSONLines(t *testing.T) {
	o, err := parse([]string{"-patients", "5", "-ticks", "3", "-malformed", "0", "-seed", "3"}, io.Discard)
	require.NoError(t, err)
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	var out bytes.Buffer
	require.NoError(t, emit(context.Background(), o, now, lines(&out)))
	ls := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, ls, 5*6*3)
	for _, l := range ls {
		_, err := observation.Decode([]byte(l), now.Add(time.Hour))
		require.NoError(t, err, l)
	}
}

func TestParseRejects(t *testing.T) {
	for name, args := range map[string][]string{
		"zero ticks":     {"-ticks", "0"},
		"extra argument": {"now"},
		"unknown flag":   {"-fast"},
		"not a stream":   {"-stream-arn", "arn:aws:sqs:eu-west-1:123456789012:vitals"},
	} {
		_, err := parse(args, io.Discard)
		assert.Error(t, err, name)
	}
	o, err := parse([]string{"-patients", "0"}, io.Discard)
	require.NoError(t, err)
	assert.Error(t, emit(context.Background(), o, time.Now(), lines(io.Discard)), "simulator.New checks the patients")
}
