package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// instanceSource names the property through which a DB instance is made from another
// database (a read replica, a snapshot restore or a point-in-time restore), or "" for a new,
// empty instance. Such an instance takes its encryption and key from the source unless it is
// given its own, and the source is not a property this pack can see. An unreadable source
// property is undetermined.
func instanceSource(m resource.PropertyMap) (string, *policy.Result) {
	for _, src := range []string{"replicateSourceDb", "snapshotIdentifier"} {
		set, res := check.Set(m, src)
		if res != nil {
			return "", res
		}
		if set {
			return src, nil
		}
	}
	// restoreToPointInTime is an object (sourceDbInstanceIdentifier, restoreTime, ...).
	_, set, res := check.Object(m, "restoreToPointInTime")
	if res != nil {
		return "", res
	}
	if set {
		return "restoreToPointInTime", nil
	}
	return "", nil
}
