package program

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/api"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/cache"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/compute"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/database"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/images"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/keys"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/secrets"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/stream"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// DefaultImageTag is the image version used when a service's image is not configured.
const DefaultImageTag = "0.1.0"

// AuthorizerZip is the authorizer's build output relative to the repository root (`make lambda`).
const AuthorizerZip = "bin/authorizer.zip"

// DataPlane holds the data-plane components, for tests and callers that inspect them.
type DataPlane struct {
	Stream         *stream.Stream
	Images         *images.Images
	SecurityGroups *compute.SecurityGroups
	Database       *database.Database
	Cache          *cache.Cache
	Secrets        *secrets.Secrets
	API            *api.API
	Compute        *compute.Compute
}

// dataPlane creates the data-plane components (stream, images, compute, database, cache, api, secrets)
// on top of the foundation and exports their identifiers (never a secret value).
func dataPlane(ctx *pulumi.Context, f *Foundation) error {
	_, err := NewDataPlane(ctx, f)
	return err
}

// NewDataPlane creates the data plane.
func NewDataPlane(ctx *pulumi.Context, f *Foundation) (*DataPlane, error) {
	cfg := f.Config
	d := cfg.Data
	n := f.Namer
	net := f.Network
	production := cfg.Environment == config.EnvProd
	dp := &DataPlane{}
	var err error

	if dp.Stream, err = stream.New(ctx, "stream", stream.Args{
		Namer: n, KmsKeyID: f.Keys.Arn(keys.Stream), Config: d.Stream,
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	// The services' image repositories; the default image URIs below name them.
	if dp.Images, err = images.New(ctx, "images", images.Args{
		Namer: n, Production: production, KmsKeyArn: f.Keys.Arn(keys.Images),
		Services: []string{compute.ProcessorName, compute.ReadAPIName},
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	if dp.SecurityGroups, err = compute.NewSecurityGroups(ctx, "app-sgs", compute.SecurityGroupsArgs{
		Namer: n, VpcID: net.Vpc.ID(),
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}
	clients := map[string]pulumi.StringInput{
		compute.ProcessorName: dp.SecurityGroups.ProcessorID,
		compute.ReadAPIName:   dp.SecurityGroups.ReadAPIID,
	}

	if dp.Database, err = database.New(ctx, "database", database.Args{
		Namer: n, Production: production, VpcID: net.Vpc.ID(), IsolatedSubnetIDs: net.IsolatedSubnetIDs,
		AvailabilityZones: cfg.Network.AvailabilityZones, ClientSecurityGroups: clients,
		KmsKeyArn: f.Keys.Arn(keys.Database), SecretsKmsKeyArn: f.Keys.Arn(keys.Secrets), Config: d.Database,
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	if dp.Cache, err = cache.New(ctx, "cache", cache.Args{
		Namer: n, VpcID: net.Vpc.ID(), SubnetIDs: net.IsolatedSubnetIDs, AvailabilityZones: cfg.Network.AvailabilityZones,
		ClientSecurityGroups: clients, KmsKeyArn: f.Keys.Arn(keys.Cache), Logs: f.Logs, Config: d.Cache,
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	// The only credential with a password is the database master user: RDS creates, encrypts
	// (secrets key) and rotates it; this sets the schedule. The services authenticate with IAM.
	if dp.Secrets, err = secrets.New(ctx, "secrets", secrets.Args{
		Namer: n, KmsKeyArn: f.Keys.Arn(keys.Secrets),
		Managed: []secrets.ManagedSecret{{Name: "db-master", Arn: dp.Database.MasterUserSecretArn}},
		Config:  d.Secrets,
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	zip, err := AuthorizerZipPath(d.API.AuthorizerZipPath)
	if err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}
	if dp.API, err = api.New(ctx, "api", api.Args{
		Namer: n, Region: cfg.Region, AccountID: cfg.AccountID, Production: production,
		VpcID: net.Vpc.ID(), VpcCidr: pulumi.String(cfg.Network.VpcCidr), PrivateSubnetIDs: net.PrivateSubnetIDs,
		ReadAPISecurityGroupID: dp.SecurityGroups.ReadAPIID, Logs: f.Logs,
		StreamName: dp.Stream.Name, StreamArn: dp.Stream.Arn, StreamKmsKeyArn: f.Keys.Arn(keys.Stream),
		LambdaKmsKeyArn:   f.Keys.Arn(keys.Secrets),
		AuthorizerZipPath: zip, ReadAPICertificateArn: d.Compute.ReadAPICertificateArn, ReadAPIPort: compute.ReadAPIPort,
		ReadAPIHostname: d.Compute.ReadAPIHostname,
		Config:          d.API,
	}); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	ca := compute.Args{
		Namer: n, Region: cfg.Region, AccountID: cfg.AccountID,
		VpcCidr: pulumi.String(cfg.Network.VpcCidr), PrivateSubnetIDs: net.PrivateSubnetIDs,
		SecurityGroups: dp.SecurityGroups, Logs: f.Logs,
		StreamArn: dp.Stream.Arn, StreamName: dp.Stream.Name, StreamKmsKeyArn: f.Keys.Arn(keys.Stream),
		DBClusterResourceID: dp.Database.ClusterResourceID, DBEndpoint: dp.Database.Endpoint,
		DBReaderEndpoint: dp.Database.ReaderEndpoint, DBName: d.Database.DatabaseName,
		DBSecurityGroupID: dp.Database.SecurityGroupID,
		CacheArn:          dp.Cache.Arn, CacheUserArn: dp.Cache.AppUserArn, CacheUserName: dp.Cache.AppUserName,
		CacheEndpoint: dp.Cache.PrimaryEndpoint, CacheSecurityGroupID: dp.Cache.SecurityGroupID,
		ReadAPITargetGroupArn: dp.API.TargetGroupArn,
		ProcessorImage:        imageOrDefault(d.Compute.Processor.Image, cfg, n, compute.ProcessorName),
		ReadAPIImage:          imageOrDefault(d.Compute.ReadAPI.Image, cfg, n, compute.ReadAPIName),
		ImageRepositories:     dp.Images.Resources(),
		SecretsKmsKeyArn:      f.Keys.Arn(keys.Secrets),
		Config:                d.Compute,
	}
	if s3, ok := net.Endpoints["s3"]; ok {
		ca.S3PrefixListID = s3.PrefixListId
	}
	if dp.Compute, err = compute.New(ctx, "compute", ca); err != nil {
		return nil, fmt.Errorf("data plane: %w", err)
	}

	exports := dp.Exports()
	for _, k := range sortedKeys(exports) {
		ctx.Export(k, exports[k])
	}
	return dp, nil
}

// Exports are the data plane's stack outputs: names, ARNs and endpoints only. The database
// master secret is exported by ARN, never by value; no output is a Pulumi secret.
func (dp *DataPlane) Exports() map[string]pulumi.StringOutput {
	return map[string]pulumi.StringOutput{
		"streamName":             dp.Stream.Name,
		"streamArn":              dp.Stream.Arn,
		"processorRepositoryUrl": dp.Images.URL(compute.ProcessorName),
		"readApiRepositoryUrl":   dp.Images.URL(compute.ReadAPIName),
		"dbClusterArn":           dp.Database.ClusterArn,
		"dbEndpoint":             dp.Database.Endpoint,
		"dbReaderEndpoint":       dp.Database.ReaderEndpoint,
		"dbMasterUserSecretArn":  dp.Database.MasterUserSecretArn,
		"cacheEndpoint":          dp.Cache.PrimaryEndpoint,
		"ecsClusterName":         dp.Compute.ClusterName,
		"apiInvokeUrl":           dp.API.InvokeURL,
		"apiStageArn":            dp.API.StageArn,
		"apiWebAclArn":           dp.API.WebACL.Arn,
	}
}

func sortedKeys(m map[string]pulumi.StringOutput) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// imageOrDefault returns the configured image, or the service's repository of this stack
// (internal/components/images: hipaa-<service>-<env>, immutable tags) at DefaultImageTag.
func imageOrDefault(image string, cfg config.Config, n naming.Namer, service string) string {
	if image != "" {
		return image
	}
	return images.ImageURI(cfg.AccountID, cfg.Region, n, service, DefaultImageTag)
}

// AuthorizerZipPath resolves the authorizer archive: a configured absolute path as is; a
// configured relative path against the working directory (the Pulumi project directory when the
// engine runs the program); otherwise bin/authorizer.zip under the repository root, the nearest
// parent of the working directory holding go.work. The file itself is read by the engine at
// deployment, not here, so previews under mocks work before `make lambda` has run.
func AuthorizerZipPath(configured string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("authorizer zip: working directory: %w", err)
	}
	if configured != "" {
		if filepath.IsAbs(configured) {
			return filepath.Clean(configured), nil
		}
		return filepath.Join(wd, configured), nil
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return filepath.Join(dir, filepath.FromSlash(AuthorizerZip)), nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("authorizer zip: no go.work above the working directory; set hipaa-pipeline:authorizerZipPath")
		}
		dir = up
	}
}
