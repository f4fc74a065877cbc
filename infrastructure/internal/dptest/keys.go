package dptest

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

func propertyKey(k string) resource.PropertyKey { return resource.PropertyKey(k) }
