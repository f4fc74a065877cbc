package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// sourceKind says how a DB instance gets its first data.
type sourceKind int

const (
	// newInstance starts empty: storageEncrypted and kmsKeyId decide its encryption.
	newInstance sourceKind = iota
	// replica (replicateSourceDb) is encrypted when its source is (with the source's key in the
	// same region) or when it is given a kmsKeyId, which AWS refuses for an unencrypted source;
	// storageEncrypted is ignored.
	replica
	// restore (snapshotIdentifier, restoreToPointInTime) takes the encryption and the key of
	// the snapshot or source instance: the restore APIs take neither storageEncrypted nor a key.
	restore
)

// instanceSource names the property through which a DB instance is made from another
// database, and how; "" and newInstance for an empty new instance. The source itself is not a
// property this pack can see. An unreadable source property is undetermined.
func instanceSource(m resource.PropertyMap) (string, sourceKind, *policy.Result) {
	for _, src := range []string{"snapshotIdentifier", "replicateSourceDb"} {
		set, res := check.Set(m, src)
		if res != nil {
			return "", newInstance, res
		}
		if set && src == "snapshotIdentifier" {
			return src, restore, nil
		}
		if set {
			return src, replica, nil
		}
	}
	// restoreToPointInTime is an object (sourceDbInstanceIdentifier, restoreTime, ...).
	_, set, res := check.Object(m, "restoreToPointInTime")
	if res != nil {
		return "", newInstance, res
	}
	if set {
		return "restoreToPointInTime", restore, nil
	}
	return "", newInstance, nil
}
