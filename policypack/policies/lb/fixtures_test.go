package lb_test

func httpsListener() map[string]any {
	return map[string]any{
		"loadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/api/50dc6c495c0c9188",
		"port":            443,
		"protocol":        "HTTPS",
		"sslPolicy":       "ELBSecurityPolicy-TLS13-1-2-2021-06",
		"certificateArn":  "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012",
		"defaultActions":  []any{map[string]any{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api/73e2d6bc24d8a067"}},
	}
}

func redirectListener() map[string]any {
	return map[string]any{
		"loadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/api/50dc6c495c0c9188",
		"port":            80,
		"protocol":        "HTTP",
		"defaultActions": []any{map[string]any{"type": "redirect", "redirect": map[string]any{
			"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301",
		}}},
	}
}
