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
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "%-22s %s\n", $$1, $$2}'

.PHONY: build
build: lambda ## build bin/hipaa-audit, the policy pack binary and the authorizer Lambda zip
	@mkdir -p $(BIN)
	go build -o $(BIN)/hipaa-audit ./policypack/cmd/hipaa-audit
	go build -o $(BIN)/hipaa-policy-pack ./policypack

.PHONY: lambda
lambda: ## cross-build the API authorizer Lambda (linux/arm64 bootstrap, lambda.norpc) into bin/authorizer.zip
	@mkdir -p $(BIN)/authorizer
	cd services && CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -trimpath -ldflags='-s -w' -o $(BIN)/authorizer/bootstrap ./cmd/authorizer
	go run ./services/cmd/lambdazip -in $(BIN)/authorizer/bootstrap -out $(BIN)/authorizer.zip

.PHONY: test
test: build rego-test gate-build services-test ## run every test of every module (Rego's included; gate/e2e runs the real engine)
	go test -count=1 $(PACKAGES)

.PHONY: rego-test
rego-test: ## opa fmt, opa check --strict and opa test on rego/ (Rego v1, the default of OPA 1.x)
	cd rego && $(OPA) fmt --list --fail hipaa lib
	cd rego && $(OPA) check --strict hipaa lib
	cd rego && $(OPA) test hipaa lib

.PHONY: inventory
inventory: ## print every resource of the dev and prod stacks under mocks, per component and type
	go test -count=1 -run '^TestInventory$$' -v ./infrastructure/program | grep -v -e '^=== RUN' -e '^--- PASS' -e '^PASS' -e '^ok '

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

# ---- gate (issue 5): the real Pulumi engine, offline ------------------------------------------
# The Pulumi CLI is built from the pinned pkg/v3 module once per version into .cache/ (git-ignored);
# the stand-in AWS provider goes into the plugin cache of a private PULUMI_HOME, never ~/.pulumi.
PULUMI_VERSION := $(shell sed -n 's|^.*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\).*$$|\1|p' tools/pulumi/go.mod)
PULUMI_ROOT := $(CURDIR)/.cache/pulumi/$(PULUMI_VERSION)
PULUMI_CLI := $(PULUMI_ROOT)/bin/pulumi
AUDIT_HOME := $(CURDIR)/.cache/pulumi/home
AWS_PROVIDER_VERSION := 6.83.4
STANDIN_AWS := $(AUDIT_HOME)/plugins/resource-aws-v$(AWS_PROVIDER_VERSION)/pulumi-resource-aws

$(PULUMI_CLI):
	@echo "building the Pulumi CLI $(PULUMI_VERSION) once (takes several minutes)..."
	cd tools/pulumi && GOWORK=off go build -trimpath -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" -o $@ github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

.PHONY: pulumi-cli
pulumi-cli: $(PULUMI_CLI) ## build the pinned Pulumi CLI into .cache/pulumi/<version>/bin (once per version)

.PHONY: gate-build
gate-build: pulumi-cli standin-aws gate-bins ## build the offline gate: Pulumi CLI, stand-in AWS provider, pack folder, bin/audit

.PHONY: standin-aws
standin-aws: ## build the stand-in AWS provider into the private PULUMI_HOME's plugin cache (offline runs only)
	go build -o $(STANDIN_AWS) ./gate/cmd/pulumi-resource-aws

.PHONY: gate-bins
gate-bins: lambda ## build bin/policypack/{hipaa-policy-pack,PulumiPolicy.yaml} and bin/audit
	@mkdir -p $(BIN)/policypack
	cp policypack/PulumiPolicy.yaml $(BIN)/policypack/PulumiPolicy.yaml
	go build -o $(BIN)/policypack/hipaa-policy-pack ./policypack
	go build -o $(BIN)/audit ./gate/cmd/audit

# AUDIT_OFFLINE=0: your `pulumi`, backend, AWS credentials and the real provider; nothing offline is built.
.PHONY: audit
audit: gate-bins $(if $(filter 0,$(AUDIT_OFFLINE)),,pulumi-cli standin-aws) ## preview STACK=<dev|prod> through the real Pulumi engine with the pack, offline (AUDIT_OFFLINE=0: your pulumi/AWS)
	$(BIN)/audit -stack $(STACK) -offline=$(if $(filter 0,$(AUDIT_OFFLINE)),false,true) -cli-root $(PULUMI_ROOT) -cli-version $(PULUMI_VERSION) -pulumi-home $(AUDIT_HOME) -provider-version $(AWS_PROVIDER_VERSION)

.PHONY: bench-gate
bench-gate: gate-build ## preview wall time of the prod stack with and without the pack (go test -bench)
	go test -run='^$$' -bench=BenchmarkPreview -benchtime=5x -benchmem ./gate/e2e

# ---- docs (issue 6): the control-mapping reports auditors read ---------------------------------
.PHONY: docs
docs: ## regenerate compliance-docs/reports/<stack>/report.{md,html,json,sarif} from the evidence of make audit
	@mkdir -p $(BIN)
	go build -o $(BIN)/docs ./compliance-docs/cmd/docs
	@found=0; for d in compliance-docs/reports/*/; do d=$${d%/}; [ -f $$d/resources.json ] || continue; found=1; $(BIN)/docs -dir $$d; done; \
	if [ $$found = 0 ]; then echo "docs: no evidence in compliance-docs/reports/<stack>/resources.json: run make audit STACK=<stack> first" >&2; exit 1; fi

# ---- services (issue 7): workload tests on real PostgreSQL and Redis, on loopback ---------------
# The integration tests (build tag `integration`) need the servers; `make test`'s plain go test
# line builds without the tag, so it never runs them without their servers.
TEST_SERVER_PACKAGES := postgresql redis-server

.PHONY: install-test-servers
install-test-servers: ## apt-install PostgreSQL and Redis, npm-install kinesalite (services/testservers), for the services' tests when missing
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v redis-server >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_SERVER_PACKAGES); fi
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm || \
		{ echo "install-test-servers: kinesalite needs node and npm (Debian packages nodejs, npm)" >&2; exit 1; }; fi
	@[ -f services/testservers/node_modules/kinesalite/index.js ] || (cd services/testservers && npm ci --ignore-scripts)

.PHONY: services-test
services-test: install-test-servers ## start PostgreSQL and Redis on loopback, run the services' integration tests, stop the servers
	trap '$(CURDIR)/scripts/testdb.sh stop' EXIT; $(CURDIR)/scripts/testdb.sh start; \
		set -a; . $(CURDIR)/.cache/testdb/env; set +a; cd services && go test -count=1 -tags integration ./...

.PHONY: services-bench
services-bench: install-test-servers ## processor throughput (obs/s) into real PostgreSQL and Redis, per batch size
	trap '$(CURDIR)/scripts/testdb.sh stop' EXIT; $(CURDIR)/scripts/testdb.sh start; \
		set -a; . $(CURDIR)/.cache/testdb/env; set +a; cd services && go test -tags integration -run='^$$' -bench=. -benchmem ./processor

# ---- images (issue 7): the Fargate services' OCI images, built without a container engine -------
# RDS_CA_BUNDLE is the RDS global CA bundle AWS publishes (services/README.md says where, and how
# to verify it); it is an input, never downloaded nor generated here. The created time is the
# commit's (SOURCE_DATE_EPOCH), so the same tree and bundle give the same digests.
RDS_CA_BUNDLE ?=
IMAGE_SOURCE ?= https://github.com/carepulse/hipaa-pipeline
IMAGE_REVISION ?= $(shell git rev-parse HEAD)
IMAGE_VERSION ?= $(shell git describe --tags --always --dirty)
# IMAGE_TAG: the tag pointed at the pushed digest; default: the version the images were built with.
IMAGE_TAG ?=
IMAGE_ARCH ?= arm64,amd64
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct)
REGISTRY ?=
# The repositories are the stack's: hipaa-<service>-<environment> (immutable tags).
REPOSITORY_SUFFIX ?= -$(STACK)

.PHONY: images
images: ## build the processor and read-API OCI images (linux/arm64+amd64) into bin/images/<service> (RDS_CA_BUNDLE=<pem> required)
	cd services && go run ./cmd/imagebuild build -rds-ca-bundle '$(if $(RDS_CA_BUNDLE),$(abspath $(RDS_CA_BUNDLE)))' -out $(BIN)/images \
		-source '$(IMAGE_SOURCE)' -revision '$(IMAGE_REVISION)' -version '$(IMAGE_VERSION)' -created '$(SOURCE_DATE_EPOCH)' -arch '$(IMAGE_ARCH)'

.PHONY: verify-images
verify-images: ## read bin/images/* back, check user, entrypoint, ports, files and modes, CA bundle; print them
	cd services && go run ./cmd/imagebuild verify -dir $(BIN)/images

.PHONY: push-images
push-images: ## verify, then push bin/images/* by digest to REGISTRY=<account>.dkr.ecr.<region>.amazonaws.com (repositories hipaa-<service>-STACK, tagged with the images' version)
	cd services && go run ./cmd/imagebuild push -dir $(BIN)/images -registry '$(REGISTRY)' -repository-suffix '$(REPOSITORY_SUFFIX)' $(if $(IMAGE_TAG),-tag '$(IMAGE_TAG)')
