// Package apigatewayv2 holds the policies on the routes of API Gateway HTTP and WebSocket APIs.
package apigatewayv2
