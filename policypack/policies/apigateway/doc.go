// Package apigateway holds the policies on API Gateway custom domains, stages and method
// settings.
package apigateway

const refLogging = "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html"
