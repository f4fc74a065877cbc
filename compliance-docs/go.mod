module github.com/carepulse/hipaa-pipeline/compliance-docs

go 1.26.6
