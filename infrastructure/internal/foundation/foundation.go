// Package foundation creates what every other component stands on: the customer-managed KMS
// keys, the log group settings (logs key, retention), the network and the audit trail with its
// security alarms. It makes no provider invokes: account, region and AZs come from config.
package foundation

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/audit"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/keys"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/network"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// Foundation is what every data-plane component builds on.
type Foundation struct {
	Config config.Config
	Namer  naming.Namer
	Keys   *keys.Keys
	// Logs creates KMS-encrypted log groups with the configured retention (logging.NewLogGroup).
	Logs    logging.Settings
	Network *network.Network
	Audit   *audit.Audit
}

// New creates the foundation: the KMS keys, the log group settings, the network and the audit
// trail with its alarms. It exports their identifiers as stack outputs.
func New(ctx *pulumi.Context, cfg config.Config) (*Foundation, error) {
	namer := naming.New(cfg.Environment)
	k, err := keys.New(ctx, "keys", keys.Args{
		Namer:              namer,
		AccountID:          cfg.AccountID,
		Region:             cfg.Region,
		RotationPeriodDays: cfg.Keys.RotationPeriodDays,
		DeletionWindowDays: cfg.Keys.DeletionWindowDays,
	})
	if err != nil {
		return nil, fmt.Errorf("foundation: %w", err)
	}
	f := &Foundation{
		Config: cfg,
		Namer:  namer,
		Keys:   k,
		Logs: logging.Settings{
			Namer:         namer,
			KmsKeyArn:     k.Arn(keys.Logs),
			RetentionDays: cfg.Logs.RetentionDays,
		},
	}
	f.Network, err = network.New(ctx, "network", network.Args{
		Namer:             namer,
		AccountID:         cfg.AccountID,
		Region:            cfg.Region,
		AvailabilityZones: cfg.Network.AvailabilityZones,
		VpcCidr:           cfg.Network.VpcCidr,
		NatGateways:       cfg.Network.NatGateways,
		Logs:              f.Logs,
	})
	if err != nil {
		return nil, fmt.Errorf("foundation: %w", err)
	}
	f.Audit, err = audit.New(ctx, "audit", audit.Args{
		Namer:       namer,
		AccountID:   cfg.AccountID,
		Region:      cfg.Region,
		AuditKeyArn: k.Arn(keys.Audit),
		Logs:        f.Logs,
		AlarmEmails: cfg.SecurityAlarmEmails,
	})
	if err != nil {
		return nil, fmt.Errorf("foundation: %w", err)
	}

	for _, d := range keys.Domains {
		ctx.Export(string(d)+"KeyArn", k.Arn(d))
	}
	ctx.Export("vpcId", f.Network.Vpc.ID())
	ctx.Export("privateSubnetIds", f.Network.PrivateSubnetIDs)
	ctx.Export("isolatedSubnetIds", f.Network.IsolatedSubnetIDs)
	ctx.Export("trailArn", f.Audit.Trail.Arn)
	ctx.Export("auditBucket", f.Audit.Bucket.Bucket)
	ctx.Export("securityAlarmTopicArn", f.Audit.AlarmTopicArn)
	return f, nil
}
