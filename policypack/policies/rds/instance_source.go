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

// inheritedFromSource reads how an instance gets its first data and decides what the source
// decides: for a restore, the instance keeps the source's <what> (encryption or key) whatever it
// says; for a replica without a kmsKeyId, it keeps its source's. Both are undetermined, since
// the source is not visible. decided is nil when the instance's own settings decide; key says
// whether kmsKeyId is set (a replica with one is encrypted with it).
func inheritedFromSource(m resource.PropertyMap, what string) (kind sourceKind, key bool, decided *policy.Result) {
	key, res := check.Set(m, "kmsKeyId")
	if res != nil {
		return newInstance, false, res
	}
	src, kind, res := instanceSource(m)
	switch {
	case res != nil:
		return kind, key, res
	case kind == restore:
		u := policy.UndeterminedBecause("the instance is restored through %s and keeps the %s of the snapshot or source instance, "+
			"whatever storageEncrypted and kmsKeyId say (a restore takes neither); this policy cannot see the source: check its %s by hand", src, what, what)
		return kind, key, &u
	case kind == replica && !key:
		u := policy.UndeterminedBecause("the read replica (replicateSourceDb) has no kmsKeyId and keeps its source's %s "+
			"(storageEncrypted is ignored for replicas), which this policy cannot see; give it a kmsKeyId to make it verifiable", what)
		return kind, key, &u
	}
	return kind, key, nil
}
