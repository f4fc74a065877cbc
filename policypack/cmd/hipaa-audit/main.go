// Command hipaa-audit checks Pulumi stacks against the HIPAA policy pack offline, with the
// same registry and the same evaluator as the analyzer plugin.
//
//	hipaa-audit check [--format text|json] [--config policy-config.json] FILE
//	hipaa-audit report [--format md|html|json|sarif] FILE
//
// Exit codes: 0 no mandatory finding, 1 at least one mandatory finding, 2 bad input or usage.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Exit codes.
const (
	exitOK        = 0
	exitMandatory = 1
	exitUsage     = 2
)

// command is one subcommand: it gets its arguments (after its name) and returns the exit code.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is the table of subcommands.
var commands = map[string]command{
	"check":  {summary: "evaluate a stack export, preview or fixture file against the pack", run: runCheck},
	"report": {summary: "render the HIPAA control-mapping report (md, html, json, sarif) of a file", run: runReport},
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		_, _ = fmt.Fprintf(stderr, "hipaa-audit: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: hipaa-audit <command> [flags] ...\n\ncommands:\n")
	for _, n := range names {
		_, _ = fmt.Fprintf(&b, "  %-8s %s\n", n, commands[n].summary)
	}
	b.WriteString("\nrun 'hipaa-audit <command> -h' for the flags of a command\n")
	_, _ = fmt.Fprint(w, b.String())
}
