# The one entry point. Every target works from a fresh clone on a machine that has only Go:
# tools are pinned Go modules run with `go tool` (see tools/go.mod and rego/go.mod).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

STACK ?= prod
BIN := $(CURDIR)/bin
# Every module of go.work: `go test ./...` at the root would not cross modules.
MODULES := $(shell go list -m -f '{{.Dir}}')
PACKAGES := $(shell go list -m -f '{{.Path}}/...')
# Tools kept out of the workspace so their dependencies never move the product's versions.
TOOLS := GOWORK=off go tool -modfile=$(CURDIR)/tools/go.mod
OPA := go tool opa

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

.PHONY: build
build: ## build bin/hipaa-audit and the policy pack binary
	@mkdir -p $(BIN)
	go build -o $(BIN)/hipaa-audit ./policypack/cmd/hipaa-audit
	go build -o $(BIN)/hipaa-policy-pack ./policypack

.PHONY: test
test: build rego-test ## run every test of every module (Rego's included)
	go test -count=1 $(PACKAGES)

.PHONY: rego-test
rego-test: ## opa fmt, opa check --strict and opa test on rego/
	cd rego && $(OPA) fmt --list --fail hipaa lib
	cd rego && $(OPA) check --strict --v1-compatible hipaa lib
	cd rego && $(OPA) test --v1-compatible -v hipaa lib | tail -n 3

.PHONY: lint
lint: ## gofmt, go vet and golangci-lint over every module
	@unformatted=$$(gofmt -l $(MODULES)); if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet $(PACKAGES)
	for m in $(MODULES); do (cd $$m && $(TOOLS) golangci-lint run ./...); done

.PHONY: bench
bench: ## benchmarks (go test -bench, -benchmem)
	go test -run='^$$' -bench=. -benchmem $(PACKAGES)

.PHONY: clean
clean: ## remove built binaries (the cached Pulumi CLI in .cache/ is kept)
	rm -rf $(BIN)
