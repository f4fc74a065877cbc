package report

import (
	"fmt"
	"math"
)

// TargetAvailability is the availability the seed asks of the monitoring pipeline.
const TargetAvailability = 0.9999

// minutesPerMonth is a 30-day month, the period AWS SLAs measure.
const minutesPerMonth = 30 * 24 * 60

// SLA is one AWS service commitment as published on its public SLA page.
type SLA struct {
	Service string `json:"service"`
	// Commitment names which commitment of the page applies (e.g. the Multi-AZ one).
	Commitment string `json:"commitment"`
	// Percent is the monthly uptime percentage as the page writes it.
	Percent string `json:"percent"`
	// Page is the SLA page; PageDate its "Last Updated" date as last known, or a note when
	// it was not confirmed.
	Page     string `json:"page"`
	PageDate string `json:"pageDate"`
	value    float64
}

// The figures are from the public AWS SLA pages as last known to the authors of this report;
// they change and must be rechecked before anyone relies on them.
var (
	slaAPIGateway = SLA{Service: "Amazon API Gateway", Commitment: "per region", Percent: "99.95",
		Page: "https://aws.amazon.com/api-gateway/sla/", PageDate: "page date not confirmed here", value: 0.9995}
	slaLambda = SLA{Service: "AWS Lambda (authorizer)", Commitment: "per region", Percent: "99.95",
		Page: "https://aws.amazon.com/lambda/sla/", PageDate: "page date not confirmed here", value: 0.9995}
	slaKinesis = SLA{Service: "Amazon Kinesis Data Streams", Commitment: "per region (Amazon Kinesis SLA)", Percent: "99.9",
		Page: "https://aws.amazon.com/kinesis/sla/", PageDate: "last updated 2024-02-09", value: 0.999}
	slaFargate = SLA{Service: "Amazon ECS on AWS Fargate", Commitment: "Region-Level SLA, tasks in two or more AZs (Amazon Compute SLA)", Percent: "99.99",
		Page: "https://aws.amazon.com/compute/sla/", PageDate: "current date not confirmed here; the same 99.99% in the 2022-05-05 version", value: 0.9999}
	slaAurora = SLA{Service: "Amazon Aurora", Commitment: "Multi-AZ cluster", Percent: "99.99",
		Page: "https://aws.amazon.com/rds/aurora/sla/", PageDate: "last updated 2022-05-19", value: 0.9999}
	slaElastiCache = SLA{Service: "Amazon ElastiCache", Commitment: "Multi-AZ configuration", Percent: "99.99",
		Page: "https://aws.amazon.com/elasticache/sla/", PageDate: "page date not confirmed here (99.99% Multi-AZ since 2023)", value: 0.9999}
	slaNLB = SLA{Service: "Elastic Load Balancing (internal NLB)", Commitment: "Multi-AZ load balancer", Percent: "99.99",
		Page: "https://aws.amazon.com/elasticloadbalancing/sla/", PageDate: "last updated 2022-07-25", value: 0.9999}
)

// Path is a chain of services every request of a path needs: its SLA-implied availability is
// the product of theirs (serial composition, independent failures assumed).
type Path struct {
	Name     string `json:"name"`
	Route    string `json:"route"`
	Services []SLA  `json:"services"`
	// Composite is the product, as a percentage rounded to three decimals.
	Composite string `json:"composite"`
	// DowntimeMinutes is what the composite allows in a 30-day month, rounded to a tenth.
	DowntimeMinutes string `json:"downtimeMinutesPerMonth"`
	MeetsTarget     bool   `json:"meetsTarget"`
}

// Availability is the SLA arithmetic of the deployed paths against the target.
type Availability struct {
	Target         string `json:"target"`
	TargetDowntime string `json:"targetDowntimeMinutesPerMonth"`
	Paths          []Path `json:"paths"`
	MetBySLA       bool   `json:"metBySLAArithmetic"`
	Conclusion     string `json:"conclusion"`
	Design         string `json:"design"`
	Recheck        string `json:"recheck"`
}

// ComputeAvailability composes the SLAs of the ingest and read paths.
func ComputeAvailability() Availability {
	paths := []Path{
		newPath("Ingest (write) path",
			"API Gateway → Lambda authorizer → Kinesis Data Streams → ECS Fargate processor → Aurora PostgreSQL and ElastiCache",
			slaAPIGateway, slaLambda, slaKinesis, slaFargate, slaAurora, slaElastiCache),
		newPath("Read path",
			"API Gateway → Lambda authorizer → VPC link → internal NLB → ECS Fargate read API → ElastiCache and Aurora PostgreSQL",
			slaAPIGateway, slaLambda, slaNLB, slaFargate, slaElastiCache, slaAurora),
	}
	met := true
	for _, p := range paths {
		met = met && p.MeetsTarget
	}
	a := Availability{
		Target:         "99.99",
		TargetDowntime: minutes(TargetAvailability),
		Paths:          paths,
		MetBySLA:       met,
		Design: "The design aims at the target rather than at the SLAs: every tier runs in at least two " +
			"Availability Zones (Aurora writer and readers in different AZs, ElastiCache Multi-AZ with automatic " +
			"failover, Fargate tasks spread over the AZs, the NLB in every private subnet), Kinesis stores every " +
			"reading for the retention period so processors catch up after an outage without losing data, and " +
			"production Aurora never scales to zero (a paused cluster needs seconds to resume). The pack enforces " +
			"these settings (see 164.308(a)(7)(ii)(C)). An SLA is a commitment to pay service credits when it is " +
			"missed, not a measurement and not a ceiling: real availability must be measured (synthetic probes, " +
			"error budgets) and only a multi-region design can take the composite above a single region's weakest SLA.",
		Recheck: "SLA figures and dates are from the public AWS SLA pages as last known; they change and must be " +
			"rechecked on the pages above before this section is relied on.",
	}
	if met {
		a.Conclusion = "The target is met by SLA arithmetic on every path."
	} else {
		a.Conclusion = fmt.Sprintf("The %s%% target is NOT met by SLA arithmetic: the services are in series, so "+
			"their SLAs multiply, and the ingest path's composite is %s%% (about %s minutes a month, against %s "+
			"for the target). Kinesis Data Streams (99.9%%) and API Gateway and Lambda (99.95%% each) bound it.",
			a.Target, paths[0].Composite, paths[0].DowntimeMinutes, a.TargetDowntime)
	}
	return a
}

func newPath(name, route string, services ...SLA) Path {
	product := 1.0
	for _, s := range services {
		product *= s.value
	}
	return Path{
		Name: name, Route: route, Services: services,
		Composite:       percent(product),
		DowntimeMinutes: minutes(product),
		// Compare at the precision SLAs are written in (four decimals of a fraction).
		MeetsTarget: math.Round(product*1e6) >= math.Round(TargetAvailability*1e6),
	}
}

func percent(v float64) string { return fmt.Sprintf("%.3f", v*100) }

func minutes(v float64) string { return fmt.Sprintf("%.1f", (1-v)*minutesPerMonth) }
