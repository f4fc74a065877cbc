// Package cloudtrail holds the policies on CloudTrail trails.
package cloudtrail

const refTrail = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html"
