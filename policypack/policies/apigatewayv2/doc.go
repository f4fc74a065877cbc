// Package apigatewayv2 holds the policies on the routes of API Gateway HTTP and WebSocket APIs:
// route resources, routes an API defines itself (quick create, OpenAPI body) and the $connect
// route of WebSocket APIs.
package apigatewayv2
