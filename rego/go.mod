module github.com/carepulse/hipaa-pipeline/rego

go 1.26.6
